// Runs inside a kontask's sandboxed output frame (sandbox="allow-scripts", opaque origin).
// Provides renderMermaidDiagram(elementId, definition), which kontask cards call, reports the content height to
// the host page so the frame fits its content, and hands links to the host page.
(function () {
    const reportHeight = () => {
        const height = Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);
        parent.postMessage({ type: "konui-frame-height", height }, "*");
    };

    if (window.mermaid) {
        mermaid.initialize({ startOnLoad: false, theme: "dark", securityLevel: "strict" });
    }

    let diagrams = 0;
    window.renderMermaidDiagram = function (elementId, definition) {
        const render = async () => {
            const element = document.getElementById(elementId);
            if (!element) throw new Error("renderMermaidDiagram: no element with id '" + elementId + "'");
            try {
                const { svg, bindFunctions } = await mermaid.render("konui-mermaid-" + (++diagrams), definition);
                element.innerHTML = svg;
                if (bindFunctions) bindFunctions(element);
            } catch (error) {
                element.textContent = "Diagram error: " + (error && error.message ? error.message : error);
                element.className += " konui-diagram-error";
            }
            reportHeight();
        };
        if (document.readyState === "loading") {
            return new Promise((resolve) => document.addEventListener("DOMContentLoaded", () => resolve(render())));
        }
        return render();
    };

    // A link opens in a new tab through the host page instead of taking this frame away from its output.
    document.addEventListener("click", (event) => {
        const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
        if (!link || event.defaultPrevented || link.getAttribute("href").startsWith("#")) return;
        event.preventDefault();
        parent.postMessage({ type: "konui-frame-link", href: link.href }, "*");
    });

    window.addEventListener("load", reportHeight);
    document.addEventListener("DOMContentLoaded", () => {
        new ResizeObserver(reportHeight).observe(document.body);
        reportHeight();
    });
})();
