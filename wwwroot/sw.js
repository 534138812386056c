// Konui's service worker. It keeps the app shell only (the page shown when Konui cannot be reached, the icons and the
// manifest) so that Konui installs on a phone's home screen and opens offline to a clear page. Konui's data lives on
// the server and comes over the Blazor circuit: /api, /mcp and the Blazor hub (/_blazor) are never touched, and no
// page is ever served from the cache while the server answers. Web Push messages become notifications here, and a
// click on one opens the session it names.
const SHELL_CACHE = "konui-shell-v1";
const OFFLINE_PAGE = "/offline.html";
const SHELL = [OFFLINE_PAGE, "/favicon.svg", "/icons/konui-192.png", "/icons/konui-512.png", "/manifest.webmanifest"];
const NEVER = /^\/(api|mcp|_blazor)(\/|$)/;

self.addEventListener("install", (event) => {
    event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: "reload" })))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
    event.waitUntil(caches.keys()
        .then((keys) => Promise.all(keys.filter((key) => key !== SHELL_CACHE).map((key) => caches.delete(key))))
        .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin || NEVER.test(url.pathname)) return;
    if (request.mode === "navigate") {
        event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE)));
    } else if (SHELL.includes(url.pathname)) {
        event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
    }
});

// A Web Push message from Konui (a decision waiting, a turn ended or failed, a test) becomes a notification, tagged so
// that a hidden tab's notification for the same decision or turn is replaced, not repeated.
self.addEventListener("push", (event) => {
    let message;
    try {
        message = event.data ? event.data.json() : {};
    } catch {
        message = { title: "Konui", body: event.data.text() };
    }
    event.waitUntil(self.registration.showNotification(message.title || "Konui", {
        body: message.body || "",
        tag: message.tag,
        icon: "/icons/konui-192.png",
        data: { url: message.url || "/" },
        requireInteraction: message.kind === "decision",
    }));
});

// A notification (from a hidden tab, or a push message) opens the session it names: in a Konui window already there,
// else in a new one.
self.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const url = new URL(event.notification.data?.url ?? "/", self.location.origin).href;
    event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
        const there = windows.find((w) => w.url === url);
        return there ? there.focus() : self.clients.openWindow(url);
    }));
});
