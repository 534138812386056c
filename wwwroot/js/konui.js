// Konui's browser side: small helpers the Blazor components call, and the host end of kontask output frames.
window.konui = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,

    copyText: async (text) => {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return true;
        }
        const area = document.createElement("textarea");
        area.value = text;
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        const copied = document.execCommand("copy");
        area.remove();
        return copied;
    },
};

// A kontask's output runs in a sandboxed iframe with an opaque origin; it reports its content height by
// postMessage and the host sizes the frame that sent it. Nothing else is accepted from a frame.
window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== "konui-frame-height" || typeof data.height !== "number") return;
    for (const frame of document.querySelectorAll("iframe[data-konui-frame]")) {
        if (frame.contentWindow === event.source) {
            frame.style.height = Math.max(40, Math.min(Math.ceil(data.height), 50000)) + "px";
        }
    }
});
