/* A report job's page: asks the status endpoint where the job stands and shows it, until it is finished.
   The page works without this script (it shows the status and a reload link); with it, the status
   sentence (role="status", announced politely), the progress bar, the download link and the error
   follow the job. It asks at least once, even when the page was drawn for a finished job. */
(function () {
  "use strict";
  var box = document.querySelector("[data-report-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-report-status-url");
  var part = function (name) {
    return box.querySelector("[data-report-" + name + "]");
  };
  var delay = 1000;
  var polls = 0;

  function setText(element, text) {
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function show(state) {
    box.setAttribute("data-report-state", state.status);
    setText(part("label"), state.label);
    setText(part("message"), state.message);
    var progress = part("progress");
    var bar = part("bar");
    if (progress && bar) {
      progress.hidden = state.finished;
      progress.setAttribute("aria-valuenow", String(state.progress));
      bar.style.width = state.progress + "%";
      setText(bar, state.progress + "%");
    }
    var download = part("download");
    if (download) {
      download.hidden = !state.download_url;
      if (state.download_url) {
        download.querySelector("a").setAttribute("href", state.download_url);
      }
    }
    var failed = part("failed");
    if (failed) {
      failed.hidden = state.status !== "failed";
      setText(part("error"), state.error);
    }
    var retry = part("retry");
    if (retry && state.status === "failed") {
      retry.hidden = false;
    }
    var reload = part("reload");
    if (reload) {
      reload.hidden = true;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        polls += 1;
        box.setAttribute("data-report-polls", String(polls));
        show(state);
        if (!state.finished) {
          delay = Math.min(delay * 1.25, 5000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // The server or the network is away for a moment: ask again, less often.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  poll();
})();
