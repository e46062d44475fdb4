/*
 * Interviews survive a dropped connection. What the researcher types is kept in this browser (IndexedDB,
 * one record per interview, by its client id); a save or a submission that cannot reach the server waits
 * there, "pendiente de envío", and is sent when the connection returns, with the same client id and page
 * token, so that the server records it once however many times it arrives. Every page shows how many
 * interviews wait, and sends them when it can. Files chosen for photo questions wait with them.
 * Messages are the page's own (translated by the server); nothing here writes HTML.
 */
(function () {
  "use strict";

  const DB = "casebook-offline";
  const STORE = "interviews";

  function open() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("no IndexedDB"));
      const request = window.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "uuid" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(STORE, mode);
        const result = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          resolve(result && "result" in result ? result.result : undefined);
        };
        tx.onerror = function () {
          reject(tx.error);
        };
      });
    });
  }

  const store = {
    put: (record) => run("readwrite", (s) => s.put(record)),
    get: (uuid) => run("readonly", (s) => s.get(uuid)),
    remove: (uuid) => run("readwrite", (s) => s.delete(uuid)),
    all: () => run("readonly", (s) => s.getAll()),
  };

  function entries(form, submitter) {
    // [name, value] pairs as the browser would post them (files as File objects), the button included.
    const data = submitter ? new FormData(form, submitter) : new FormData(form);
    return Array.from(data.entries()).filter(([, value]) => !(value instanceof File) || value.size > 0);
  }

  function record(form, submitter, state) {
    const uuid = form.querySelector("[name=uuid]").value;
    return {
      uuid: uuid,
      action: form.getAttribute("action") || window.location.pathname,
      page: window.location.pathname + window.location.search,
      title: form.getAttribute("data-title") || document.title,
      entries: entries(form, submitter),
      state: state,
      savedAt: new Date().toISOString(),
    };
  }

  function send(saved) {
    // Post a stored interview. Resolves {sent, url} or rejects when the network cannot be reached.
    const body = new FormData();
    for (const [name, value] of saved.entries) body.append(name, value);
    return window
      .fetch(saved.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Casebook-Offline": "1" },
      })
      .then(function (response) {
        if (response.status >= 500 || response.status === 403) return { sent: false, url: null };
        const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
        if (!json) return { sent: true, url: null, status: response.status };
        return response.json().then((data) => ({ sent: true, url: data.redirect || null, status: response.status }));
      });
  }

  function showCount() {
    const banner = document.querySelector("[data-pending]");
    if (!banner) return Promise.resolve(0);
    return store
      .all()
      .then(function (records) {
        const waiting = records.filter((r) => r.state === "pending").length;
        banner.querySelector("[data-pending-count]").textContent = String(waiting);
        banner.hidden = waiting === 0;
        return waiting;
      })
      .catch(() => 0);
  }

  let sending = false;
  function sendWaiting() {
    // Send every waiting interview (one at a time); those that still cannot go stay for the next time.
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return store
      .all()
      .then(function (records) {
        const waiting = records.filter((r) => r.state === "pending");
        return waiting.reduce(function (chain, saved) {
          return chain.then(function () {
            return send(saved)
              .then(function (outcome) {
                if (!outcome.sent) return null;
                return store.remove(saved.uuid).then(function () {
                  document.dispatchEvent(new CustomEvent("casebook:sent", { detail: { saved, outcome } }));
                });
              })
              .catch(() => null);
          });
        }, Promise.resolve());
      })
      .catch(() => null)
      .then(function () {
        sending = false;
        return showCount();
      });
  }

  window.CasebookOffline = { store, record, send, sendWaiting, showCount };

  function start() {
    showCount();
    sendWaiting();
    window.addEventListener("online", sendWaiting);
    const button = document.querySelector("[data-send-now]");
    if (button) button.addEventListener("click", sendWaiting);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
