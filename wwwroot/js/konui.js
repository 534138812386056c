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
// circuit (Konui restarted) gets a reload: the page rebuilds from Konui's logs. The browser's own word that the device
// went offline counts at once: a connection that died without a word (a phone out of range) is not noticed by Blazor
// until its server timeout, and one the browser froze while offline not at all, so the page says "offline" the moment
// the device is, and when the network is back either carries on (the connection held) or goes on reconnecting. Only
// one reconnection runs at a time: Blazor's own tries again the moment a hidden tab is seen, so the page retries
// itself only after Blazor gave up.
(() => {
    const root = document.documentElement;
    let circuitDown = false;
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
        circuitDown = state !== "hide";
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

    // A phone's tab hidden for a while (data-konui-pause-after ms; a touch screen as its pointer) pauses its circuit:
    // the server keeps nothing open for a phone in a pocket. Shown again, it resumes: a new circuit whose pages
    // rebuild from the bus and konsole's logs, so what happened meanwhile is there, once. When the server cannot
    // resume it (Konui restarted, or kept the state too long), the page reloads, which rebuilds it the same way. A
    // tab whose connection dropped while hidden reconnects the moment it is seen: Blazor's own reconnection does so
    // while it runs, and the page tries once more when Blazor had given up.
    const pauseAfter = Number(document.body.dataset.konuiPauseAfter ?? 0);
    const pausesWhenHidden = pauseAfter > 0 && matchMedia("(pointer: coarse)").matches;
    let pauseTimer = 0;
    let paused = false;
    const pause = async () => {
        if (!document.hidden || root.dataset.connection !== "connected") return;
        paused = true;
        try {
            if (!(await Blazor.pauseCircuit())) paused = false;
        } catch {
            paused = false;
        }
    };
    const resume = async () => {
        paused = false;
        try {
            if (!(await Blazor.resumeCircuit())) location.reload();
        } catch {
            location.reload();
        }
    };
    document.addEventListener("visibilitychange", () => {
        clearTimeout(pauseTimer);
        if (document.hidden) {
            if (pausesWhenHidden) pauseTimer = setTimeout(pause, pauseAfter);
        } else if (paused) {
            resume();
        } else if (root.dataset.connection === "disconnected") {
            retry();
        }
    });

    panel?.addEventListener("components-reconnect-state-changed", (event) => describe(event.detail));
    panel?.addEventListener("click", (event) => {
        const action = event.target instanceof Element ? event.target.closest("[data-konui-reconnect]")?.dataset.konuiReconnect : null;
        if (action === "retry") retry();
        else if (action === "resume") Blazor.resumeCircuit().then((resumed) => { if (!resumed) location.reload(); });
        else if (action === "reload") location.reload();
    });
    window.addEventListener("offline", () => {
        if (root.dataset.connection !== "reconnecting" && root.dataset.connection !== "connected") return;
        setConnection("offline");
        say("You are offline", "Konui reconnects when the network is back; what happened meanwhile shows then.");
    });
    window.addEventListener("online", () => {
        if (root.dataset.connection !== "offline") return;
        if (!circuitDown) {
            setConnection("connected");
            return;
        }
        setConnection("reconnecting");
    });

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

// A tab nobody looks at catches the eye. The layout renders #konui-attention (AttentionSignal.razor): how many
// decisions wait and for which tool, and the last turn that ended or failed. While the tab is hidden its title starts
// with the count ("(1) Waiting: Bash · Konui"), or says a turn ended or failed until the tab is seen again; the favicon
// gets a dot while something waits. The page's own title (Blazor's <PageTitle>) is kept and comes back when the tab is
// seen, also when the page changed it meanwhile. Notices the server sends while the tab is hidden become browser
// notifications (permission is asked for on the settings page, from a click), one per decision or turn however many
// tabs show it; a click opens the session at the decision. The tab tells the server whether it is visible.
window.konui.attention = (() => {
    const icon = document.querySelector("link[rel='icon']");
    const plainIcon = icon?.getAttribute("href");
    const waitingIcon = "/favicon-waiting.svg";
    let pageTitle = document.title;
    let shownTitle = null;
    let unseenOutcome = null;
    let lastOutcomeTurn = null;
    let dotnet = null;

    const apply = () => {
        const signal = document.getElementById("konui-attention");
        const waiting = Number(signal?.dataset.waiting ?? 0);
        const outcomeTurn = signal?.dataset.outcomeTurn || null;
        if (outcomeTurn && outcomeTurn !== lastOutcomeTurn) {
            lastOutcomeTurn = outcomeTurn;
            if (document.hidden) unseenOutcome = signal.dataset.outcome;
        }
        if (!document.hidden) unseenOutcome = null;
        shownTitle = !document.hidden ? null
            : waiting > 0 ? `(${waiting}) Waiting: ${signal.dataset.waitingTool || "Claude"} · Konui`
            : unseenOutcome === "failed" ? "Turn failed · Konui"
            : unseenOutcome === "ended" ? "Turn ended · Konui"
            : null;
        const title = shownTitle ?? pageTitle;
        if (document.title !== title) setTitle(title);
        const href = waiting > 0 ? waitingIcon : plainIcon;
        if (icon && icon.getAttribute("href") !== href) icon.setAttribute("href", href);
    };

    // Blazor renders <PageTitle> into the <title> element's text node and later writes into that node; setting
    // document.title would replace it, and the page's next title (a decision answered) would go to a detached node.
    // So a page whose title changes renders it as one string (one text node).
    const setTitle = text => {
        const node = document.querySelector("head > title")?.firstChild;
        if (node?.nodeType === Node.TEXT_NODE && node.parentNode.childNodes.length === 1) node.data = text;
        else document.title = text;
    };

    // A title that is neither ours nor the one we restored is the page's new title.
    new MutationObserver(() => {
        if (document.title === (shownTitle ?? pageTitle)) return;
        pageTitle = document.title;
        apply();
    }).observe(document.head, { childList: true, subtree: true, characterData: true });
    new MutationObserver(apply).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-waiting", "data-waiting-tool", "data-outcome-turn"] });

    const report = () => dotnet?.invokeMethodAsync("ReportVisible", !document.hidden).catch(() => { });
    document.addEventListener("visibilitychange", () => {
        apply();
        report();
    });

    // The decision a notification names (#decision-<id>): its card is brought into view once the transcript shows it.
    const showDecision = () => {
        const match = /^#decision-(.+)$/.exec(location.hash);
        if (!match) return;
        const selector = `[data-decision-id="${CSS.escape(decodeURIComponent(match[1]))}"]`;
        const until = Date.now() + 15000;
        const look = () => {
            const card = document.querySelector(selector);
            if (card) card.scrollIntoView({ block: "center" });
            else if (Date.now() < until) setTimeout(look, 200);
        };
        look();
    };
    window.addEventListener("hashchange", showDecision);
    showDecision();

    return {
        attach: (reference) => {
            dotnet = reference;
            report();
            apply();
            return { detach: () => { if (dotnet === reference) dotnet = null; } };
        },

        notify: async (message) => {
            if (!document.hidden || !("Notification" in window) || Notification.permission !== "granted") return false;
            const options = { body: message.body, tag: message.tag, icon: "/icons/konui-192.png", data: { url: message.url }, requireInteraction: message.kind === "decision" };
            const registration = await navigator.serviceWorker?.getRegistration();
            if (registration) {
                await registration.showNotification(message.title, options);
            } else {
                const shown = new Notification(message.title, options);
                shown.onclick = () => { window.focus(); location.assign(message.url); shown.close(); };
            }
            return true;
        },
    };
})();

// Konui installs as an app: its service worker (sw.js) keeps the page shown when Konui cannot be reached. Browsers
// offer service workers only in a secure context (https, or this machine).
if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { updateViaCache: "none" })
        .catch((error) => console.warn("Konui's service worker did not register:", error));
}

// Notifications and Web Push for the settings page. Permission is asked for from its button, never on load.
window.konui.push = (() => {
    const supported = () => "serviceWorker" in navigator && "PushManager" in window && window.isSecureContext;
    const subscription = async () => supported() ? (await (await navigator.serviceWorker.ready).pushManager.getSubscription()) : null;
    const keyBytes = (base64Url) => Uint8Array.from(atob(base64Url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

    // "Chrome on Android": what a device is called until its user names it.
    const deviceName = () => {
        const agent = navigator.userAgent;
        const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrome\//.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : "Browser";
        const system = /iPhone/.test(agent) ? "iPhone" : /iPad/.test(agent) ? "iPad" : /Android/.test(agent) ? "Android"
            : /Mac OS X/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "";
        return system ? `${browser} on ${system}` : browser;
    };

    return {
        state: async () => ({
            notifications: "Notification" in window ? Notification.permission : "unsupported",
            push: supported(),
            endpoint: (await subscription())?.endpoint ?? null,
            deviceName: deviceName(),
        }),
        allowNotifications: () => "Notification" in window ? Notification.requestPermission() : Promise.resolve("unsupported"),
        subscribe: async (publicKey) => {
            const registration = await navigator.serviceWorker.ready;
            const existing = await registration.pushManager.getSubscription();
            const subscribed = existing ?? await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
            return subscribed.toJSON();
        },
        unsubscribe: async () => { await (await subscription())?.unsubscribe(); },
    };
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
