// Konui's browser side: small helpers the Blazor components call, and the host end of kontask output frames.
window.konui = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,

    // Who answers a decision, as konsole records it: "Konui in Chrome on Android".
    deviceName: () => {
        const agent = navigator.userAgent;
        const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrome\//.test(agent) ? "Chrome"
            : /Safari\//.test(agent) ? "Safari" : "a browser";
        const system = /iPhone/.test(agent) ? "iPhone" : /iPad/.test(agent) ? "iPad" : /Android/.test(agent) ? "Android"
            : /Mac OS X/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "";
        return `Konui in ${browser}${system ? ` on ${system}` : ""}`;
    },

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

// An http(s) address, or null for anything else.
const httpUrl = (text) => {
    try {
        const url = new URL(text);
        return url.protocol === "https:" || url.protocol === "http:" ? url : null;
    } catch {
        return null;
    }
};

// A kontask's output runs in a sandboxed iframe with an opaque origin. It reports its content height by postMessage
// and the host sizes the frame that sent it; a link clicked in it opens here, in a new tab with no referrer, rather
// than taking the frame away from its output. Nothing else is accepted from a frame.
window.addEventListener("message", (event) => {
    const data = event.data;
    const frame = [...document.querySelectorAll("iframe[data-konui-frame]")].find(f => f.contentWindow === event.source);
    if (!frame || !data) return;
    if (data.type === "konui-frame-height" && typeof data.height === "number") {
        frame.style.height = Math.max(40, Math.min(Math.ceil(data.height), 50000)) + "px";
    } else if (data.type === "konui-frame-link" && typeof data.href === "string") {
        const url = httpUrl(data.href);
        if (url) window.open(url.href, "_blank", "noopener,noreferrer");
    }
});

// A picture in Claude's answer from a host not in Konui:ImageHosts waits behind a button naming the host; a click
// shows it, with no referrer.
document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button.konui-remote-image") : null;
    const url = button ? httpUrl(button.dataset.src ?? "") : null;
    if (!url) return;
    event.preventDefault();
    const image = document.createElement("img");
    image.referrerPolicy = "no-referrer";
    image.alt = button.dataset.alt ?? "";
    image.src = url.href;
    button.replaceWith(image);
});

// The connection, as the page shows it. Blazor's own reconnection raises components-reconnect-state-changed on the
// reconnect panel (#components-reconnect-modal); from those events the panel says what is happening and offers a retry
// or a reload, the page's connection state (html[data-connection]: connected, reconnecting, offline or disconnected)
// drives the status bar, and controls that need the server are disabled meanwhile. A server that no longer has the
// circuit (Konui restarted) gets a reload: the page rebuilds from Konui's logs.
(() => {
    const root = document.documentElement;
    const panel = document.getElementById("components-reconnect-modal");
    const title = panel?.querySelector(".reconnect-title");
    const detail = panel?.querySelector(".reconnect-detail");

    const setConnection = (state) => {
        root.dataset.connection = state;
        for (const element of document.querySelectorAll("[data-konui-needs-connection]")) {
            element.disabled = state !== "connected" || element.dataset.konuiDisabled === "true";
        }
    };
    window.konui.setConnection = setConnection;

    const say = (heading, text) => {
        if (title) title.textContent = heading;
        if (detail) detail.textContent = text;
    };

    const describe = ({ state, currentAttempt, secondsToNextAttempt }) => {
        switch (state) {
            case "hide":
                setConnection("connected");
                return;
            case "show":
            case "retrying":
                if (!navigator.onLine) {
                    setConnection("offline");
                    say("You are offline", "Konui reconnects when the network is back; what happened meanwhile shows then.");
                    return;
                }
                setConnection("reconnecting");
                say("Konui is out of reach", secondsToNextAttempt > 0
                    ? `Trying again in ${secondsToNextAttempt} s (attempt ${currentAttempt}). Nothing is lost meanwhile.`
                    : `Reconnecting${currentAttempt ? ` (attempt ${currentAttempt})` : ""}… Nothing is lost meanwhile.`);
                return;
            case "failed":
                setConnection("disconnected");
                say("Konui did not come back", "Retry now, or reload the page: it rebuilds from Konui's logs, so nothing is lost.");
                return;
            case "rejected":
                setConnection("reconnecting");
                say("Konui restarted", "Reloading the page to pick up where it left off…");
                location.reload();
                return;
            case "paused":
                setConnection("disconnected");
                say("Paused", "This page stopped talking to Konui to save resources. Resume to carry on.");
                return;
            case "resume-failed":
                setConnection("disconnected");
                say("Could not resume", "Reload the page: it rebuilds from Konui's logs.");
                return;
        }
    };

    const retry = async () => {
        say("Konui is out of reach", "Reconnecting…");
        try {
            if (await Blazor.reconnect()) return;
            if (!(await Blazor.resumeCircuit())) location.reload();
        } catch {
            describe({ state: "failed" });
        }
    };

    panel?.addEventListener("components-reconnect-state-changed", (event) => describe(event.detail));
    panel?.addEventListener("click", (event) => {
        const action = event.target instanceof Element ? event.target.closest("[data-konui-reconnect]")?.dataset.konuiReconnect : null;
        if (action === "retry") retry();
        else if (action === "resume") Blazor.resumeCircuit().then((resumed) => { if (!resumed) location.reload(); });
        else if (action === "reload") location.reload();
    });
    window.addEventListener("offline", () => { if (root.dataset.connection === "reconnecting") setConnection("offline"); });
    window.addEventListener("online", () => { if (root.dataset.connection === "offline") setConnection("reconnecting"); });

    Blazor.start({
        circuit: {
            reconnectionOptions: {
                // Quick at first, then every 5 s for about five minutes; after that the panel offers a retry or a reload.
                maxRetries: 64,
                retryIntervalMilliseconds: (previousAttempts) => previousAttempts >= 64 ? null : Math.min(5000, 250 * 2 ** previousAttempts),
            },
        },
    }).then(() => setConnection("connected"));
})();

// The console's prompt box and transcript.
window.konui.console = {
    attachPrompt: (box, dotnet) => {
        const text = box.querySelector("textarea");

        // What is being typed at the caret that the composer completes: a slash command at the very start of the
        // prompt, or a path after an '@' that starts a word. start..end is what a choice replaces.
        const tokenAt = () => {
            if (text.selectionStart !== text.selectionEnd) return null;
            const value = text.value;
            const caret = text.selectionStart;
            const before = value.slice(0, caret);
            const end = caret + /^\S*/.exec(value.slice(caret))[0].length;
            const slash = /^\/(\S*)$/.exec(before);
            if (slash) return { kind: "slash", query: slash[1], start: 0, end };
            const at = /(^|\s)@(\S*)$/.exec(before);
            if (at) return { kind: "file", query: at[2], start: caret - at[2].length - 1, end };
            return null;
        };
        const options = () => [...box.querySelectorAll(".composer-picker [role=option]")];
        const pickerOpen = () => box.querySelector(".composer-picker") !== null;
        let asked = null;
        let dismissed = null;
        // Tells Konui when the token at the caret changes; it lists what fits. A token Esc closed stays closed until it changes.
        const update = () => {
            const token = tokenAt();
            const key = token ? `${token.kind}\n${token.query}` : null;
            if (key !== dismissed) dismissed = null;
            const wanted = dismissed === null ? key : null;
            if (wanted === asked && (wanted !== null) === pickerOpen()) return;
            asked = wanted;
            for (const option of options()) select(option, false);
            dotnet.invokeMethodAsync("Complete", wanted === null ? null : token.kind, wanted === null ? null : token.query);
        };
        const select = (option, selected) => {
            option.classList.toggle("selected", selected);
            option.setAttribute("aria-selected", selected ? "true" : "false");
            if (selected) option.scrollIntoView({ block: "nearest" });
        };
        const move = (step) => {
            const all = options();
            if (all.length === 0) return;
            const at = all.findIndex((o) => o.classList.contains("selected"));
            const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : (at + step + all.length) % all.length;
            all.forEach((o, i) => select(o, i === next));
        };
        // Puts the option's text in place of the token and tells Blazor, as typing would.
        const choose = (option) => {
            const token = tokenAt();
            if (!option || !token) return;
            const insert = option.dataset.insert;
            text.value = text.value.slice(0, token.start) + insert + text.value.slice(token.end);
            const caret = token.start + insert.length;
            text.setSelectionRange(caret, caret);
            text.focus();
            text.dispatchEvent(new Event("input", { bubbles: true }));
        };
        const close = () => {
            const token = tokenAt();
            dismissed = token ? `${token.kind}\n${token.query}` : null;
            asked = null;
            dotnet.invokeMethodAsync("Complete", null, null);
        };

        text.addEventListener("keydown", (event) => {
            if (pickerOpen() && !event.ctrlKey && !event.metaKey && !event.altKey) {
                const all = options();
                if ((event.key === "ArrowDown" || event.key === "ArrowUp") && all.length > 0) {
                    event.preventDefault();
                    move(event.key === "ArrowDown" ? 1 : -1);
                    return;
                }
                if ((event.key === "Enter" || event.key === "Tab") && all.length > 0 && !event.shiftKey) {
                    event.preventDefault();
                    choose(all.find((o) => o.classList.contains("selected")) ?? all[0]);
                    return;
                }
                if (event.key === "Escape") {
                    event.preventDefault();
                    close();
                    return;
                }
            }
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                box.querySelector("[data-konui-send]")?.click();
            } else if (event.key === "Escape") {
                box.querySelector("[data-konui-stop]")?.click();
            }
        });
        text.addEventListener("input", update);
        text.addEventListener("click", update);
        text.addEventListener("keyup", (event) => {
            if (["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) update();
        });
        text.addEventListener("blur", () => {
            // A tap on an option comes after the box lost focus on some phones: close only if focus went elsewhere for good.
            setTimeout(() => { if (document.activeElement !== text && pickerOpen()) { asked = null; dotnet.invokeMethodAsync("Complete", null, null); } }, 200);
        });
        // A tap or click on an option chooses it; the box keeps the focus (and a phone its keyboard).
        box.addEventListener("pointerdown", (event) => {
            if (event.target instanceof Element && event.target.closest(".composer-picker")) event.preventDefault();
        });
        box.addEventListener("mousedown", (event) => {
            if (event.target instanceof Element && event.target.closest(".composer-picker")) event.preventDefault();
        });
        box.addEventListener("click", (event) => {
            const option = event.target instanceof Element ? event.target.closest(".composer-picker [role=option]") : null;
            if (option) choose(option);
        });
        const addFiles = async (files) => {
            for (const file of files) {
                if (!file.type.startsWith("image/")) continue;
                const data = await new Promise((resolve) => {
                    const reader = new FileReader();
                    reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
                    reader.readAsDataURL(file);
                });
                await dotnet.invokeMethodAsync("AddImage", file.name || "pasted image", file.type, data);
            }
        };
        text.addEventListener("paste", (event) => {
            const files = [...(event.clipboardData?.files ?? [])];
            if (files.some((f) => f.type.startsWith("image/"))) {
                event.preventDefault();
                addFiles(files);
            }
        });
        box.addEventListener("dragover", (event) => { event.preventDefault(); box.classList.add("dropping"); });
        box.addEventListener("dragleave", () => box.classList.remove("dropping"));
        box.addEventListener("drop", (event) => {
            event.preventDefault();
            box.classList.remove("dropping");
            addFiles([...(event.dataTransfer?.files ?? [])]);
        });
    },

    // Follows the newest output while the reader is at the bottom; stops when they scroll up, and offers a jump back.
    // Scrolling waits for the next frame: one layout per frame however many renders arrive, none in a hidden tab.
    attachTranscript: (scroller, jump) => {
        let following = true;
        let scheduled = false;
        const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
        const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; };
        const followNextFrame = () => {
            if (scheduled) return;
            scheduled = true;
            requestAnimationFrame(() => {
                scheduled = false;
                if (following) toBottom();
            });
        };
        scroller.addEventListener("scroll", () => {
            following = atBottom();
            jump.hidden = following;
        }, { passive: true });
        jump.addEventListener("click", () => { following = true; jump.hidden = true; toBottom(); });
        new MutationObserver(() => {
            if (following) followNextFrame();
            else jump.hidden = false;
        }).observe(scroller, { childList: true, subtree: true, characterData: true });
        toBottom();
    },
};

// Decision cards: a card that appears while nothing has focus takes it, so the keys work at once. While the card itself
// has focus, Enter allows (its [data-decision-allow] button) and Esc denies ([data-decision-deny]); in the card's reason
// field, Enter denies with that reason. The buttons do the work, so keys and clicks answer the same way.
window.konui.decisions = {
    offerFocus: (card) => {
        const active = document.activeElement;
        if (!active || active === document.body) card.focus({ preventScroll: true });
    },
};
document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !(event.target instanceof Element)) return;
    const card = event.target.closest(".decision-card[data-state='waiting']");
    if (!card) return;
    const onCard = event.target === card;
    const inReason = event.target.matches("[data-decision-reason]");
    const press = (selector) => {
        const button = card.querySelector(selector);
        if (!button || button.disabled) return;
        event.preventDefault();
        button.click();
    };
    if (event.key === "Enter" && onCard) press("[data-decision-allow]");
    else if (event.key === "Enter" && inReason) press("[data-decision-deny]");
    else if (event.key === "Escape" && (onCard || inReason)) press("[data-decision-deny]");
});

// The Go box: Ctrl+K (Cmd+K on a Mac) opens it from anywhere; in its input the arrow keys choose a match instead of
// moving the caret. attach returns the handle that detaches it.
window.konui.go = {
    attach: (dotnet) => {
        const onKey = (event) => {
            if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
                event.preventDefault();
                dotnet.invokeMethodAsync("Open");
            } else if ((event.key === "ArrowUp" || event.key === "ArrowDown") && event.target instanceof Element && event.target.matches("[data-konui-go-input]")) {
                event.preventDefault();
            }
        };
        document.addEventListener("keydown", onKey);
        return { detach: () => document.removeEventListener("keydown", onKey) };
    },
};

// A field that chooses from a list under it (the new session's folder): the arrow keys choose, not move the caret.
document.addEventListener("keydown", (event) => {
    if ((event.key === "ArrowUp" || event.key === "ArrowDown") && event.target instanceof Element && event.target.matches("[data-konui-list-input]")) {
        event.preventDefault();
    }
});
