// The record import page: a large file shows how far its upload has gone, then that the server
// is checking its rows; the report replaces the page's content when it arrives. Saving shows
// that it is under way. Without this script (or without XHR upload events) both forms are
// ordinary posts and the server's answer is an ordinary page.
(function () {
  "use strict";

  function replacePage(answer) {
    var main = answer && answer.getElementById("main");
    var here = document.getElementById("main");
    if (!main || !here) {
      return false;
    }
    here.replaceWith(document.importNode(main, true));
    if (answer.title) {
      document.title = answer.title;
    }
    bind();
    var heading = document.getElementById("report-title");
    if (heading) {
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
    return true;
  }

  function bindUpload(form) {
    var input = form.querySelector('input[type="file"]');
    var box = form.querySelector("[data-import-progress]");
    var bar = form.querySelector("[data-import-bar]");
    var status = form.querySelector("[data-import-status]");
    var button = form.querySelector("[data-import-button]");
    if (!input || !box || !bar || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    var meter = bar.parentNode;

    function show(share, text) {
      var percent = Math.round(share * 100);
      bar.style.width = percent + "%";
      meter.setAttribute("aria-valuenow", String(percent));
      status.textContent = text;
    }

    form.addEventListener("submit", function (event) {
      if (!input.files || !input.files.length) {
        return; // the server says which file to choose
      }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.responseType = "document";
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var share = progress.loaded / progress.total;
          show(share, "در حال بارگذاری… " + Math.round(share * 100).toLocaleString("fa-IR") + "٪");
        }
      });
      request.upload.addEventListener("load", function () {
        show(1, "فایل رسید؛ در حال بررسی ردیف‌ها… برای فایل بزرگ چند ثانیه طول می‌کشد.");
      });
      request.addEventListener("load", function () {
        var answered = request.responseURL ? new URL(request.responseURL).pathname : "";
        var asked = new URL(form.action, window.location.href).pathname;
        if (request.status !== 200 || answered !== asked || !replacePage(request.response)) {
          form.submit(); // a login page, an error: let the browser show it as usual
        }
      });
      request.addEventListener("error", function () {
        form.submit();
      });
      button.disabled = true;
      box.classList.remove("d-none");
      show(0, "در حال بارگذاری…");
      request.send(new FormData(form));
    });
  }

  function bindApply(form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-import-button]");
      var status = form.querySelector("[data-import-status]");
      // Disabled after the post has started, so the click is still sent once.
      window.setTimeout(function () {
        if (button) {
          button.disabled = true;
        }
      }, 0);
      if (status) {
        status.classList.remove("d-none");
      }
    });
  }

  function bind() {
    var upload = document.querySelector("form[data-record-import]");
    if (upload) {
      bindUpload(upload);
    }
    var apply = document.querySelector("form[data-import-apply]");
    if (apply) {
      bindApply(apply);
    }
  }

  document.addEventListener("DOMContentLoaded", bind);
})();
