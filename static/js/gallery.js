/*
 * Photo gallery viewer for exhibit pages: a full-screen <dialog>, no library.
 *
 * Markup: a list marked [data-gallery] (its data-viewer names the dialog's id) whose links carry
 * [data-gallery-item] with data-srcset-webp, data-srcset-jpeg, data-width, data-height,
 * data-alt and data-caption; the dialog is templates/exhibition/includes/viewer.html.
 * Without JavaScript (or without <dialog>) the links simply open the large image.
 *
 * Keys: arrows move between photos (in a right-to-left page the right arrow goes back and the
 * left arrow forward, as the photos are laid out), Home/End jump to the first/last, Esc closes.
 * Touch: swipe sideways to move (direction follows the page), swipe down to close.
 * Focus stays inside the viewer while it is open and returns to the photo it was opened from.
 * Styles only through classes and attributes, so the strict Content Security Policy holds.
 */
(function () {
  "use strict";

  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var SWIPE_MIN = 50; // px a finger must travel before a swipe counts

  function persianDigits(value) {
    return String(value).replace(/[0-9]/g, function (d) { return PERSIAN_DIGITS[d]; });
  }

  function initGallery(gallery) {
    var links = Array.prototype.slice.call(gallery.querySelectorAll("[data-gallery-item]"));
    var dialog = document.getElementById(gallery.getAttribute("data-viewer") || "gallery-viewer");
    if (!links.length || !dialog || typeof dialog.showModal !== "function") {
      return;
    }
    var stage = dialog.querySelector("[data-gv-stage]");
    var caption = dialog.querySelector("[data-gv-caption]");
    // The viewer's picture is made here rather than in the page: HTML wants a source on every
    // <img>, and this one has none until a photo is opened.
    var picture = document.createElement("picture");
    var webp = document.createElement("source");
    var img = document.createElement("img");
    webp.type = "image/webp";
    img.alt = "";
    img.decoding = "async";
    img.setAttribute("data-gv-img", "");
    picture.append(webp, img);
    stage.insertBefore(picture, caption);
    var counter = dialog.querySelector("[data-gv-counter]");
    var closeButton = dialog.querySelector("[data-gv-close]");
    var prevButton = dialog.querySelector("[data-gv-prev]");
    var nextButton = dialog.querySelector("[data-gv-next]");
    var counterTemplate = dialog.getAttribute("data-counter") || "{n} / {total}";
    var rtl = (document.documentElement.getAttribute("dir") || "").toLowerCase() === "rtl";
    var index = 0;
    var opener = null;
    var touchStart = null;

    var single = links.length < 2;
    prevButton.hidden = single;
    nextButton.hidden = single;

    img.addEventListener("load", function () { stage.classList.remove("is-loading"); });
    img.addEventListener("error", function () { stage.classList.remove("is-loading"); });

    function show(i) {
      index = (i + links.length) % links.length;
      var link = links[index];
      var data = link.dataset;
      stage.classList.add("is-loading");
      webp.srcset = data.srcsetWebp || "";
      webp.sizes = "100vw";
      img.sizes = "100vw";
      img.srcset = data.srcsetJpeg || "";
      img.src = link.href;
      if (data.width && data.height) {
        img.width = Number(data.width);
        img.height = Number(data.height);
      }
      img.alt = data.alt || "";
      caption.textContent = data.caption || "";
      caption.hidden = !data.caption;
      counter.textContent = persianDigits(
        counterTemplate.replace("{n}", index + 1).replace("{total}", links.length)
      );
      if (img.complete && img.naturalWidth) {
        stage.classList.remove("is-loading");
      }
      preload(index + 1);
      preload(index - 1);
    }

    function preload(i) {
      if (single) {
        return;
      }
      var data = links[(i + links.length) % links.length].dataset;
      var probe = new Image();
      probe.sizes = "100vw";
      probe.srcset = data.srcsetJpeg || "";
    }

    function open(i, link) {
      opener = link;
      show(i);
      dialog.showModal();
      document.body.classList.add("gv-open");
      closeButton.focus();
    }

    function close() {
      if (dialog.open) {
        dialog.close();
      }
    }

    function next() { show(index + 1); }
    function previous() { show(index - 1); }

    dialog.addEventListener("close", function () {
      document.body.classList.remove("gv-open");
      img.removeAttribute("src");
      img.removeAttribute("srcset");
      webp.removeAttribute("srcset");
      if (opener) {
        opener.focus();
        opener = null;
      }
    });

    links.forEach(function (link, i) {
      link.addEventListener("click", function (event) {
        // Let a middle click or Ctrl+click open the image in a new tab as usual.
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return;
        }
        event.preventDefault();
        open(i, link);
      });
    });

    closeButton.addEventListener("click", close);
    prevButton.addEventListener("click", previous);
    nextButton.addEventListener("click", next);

    // A click on the dark area around the photo closes, like most viewers.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === stage) {
        close();
      }
    });

    dialog.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowLeft":
          event.preventDefault();
          if (rtl) { next(); } else { previous(); }
          break;
        case "ArrowRight":
          event.preventDefault();
          if (rtl) { previous(); } else { next(); }
          break;
        case "Home":
          event.preventDefault();
          show(0);
          break;
        case "End":
          event.preventDefault();
          show(links.length - 1);
          break;
        case "Escape":
          event.preventDefault();
          close();
          break;
        case "Tab":
          trapFocus(event);
          break;
        default:
          break;
      }
    });

    // A modal dialog already keeps the page behind it inert; this keeps Tab cycling among the
    // viewer's own buttons instead of escaping to the browser's address bar.
    function trapFocus(event) {
      var focusable = [closeButton, prevButton, nextButton].filter(function (el) {
        return !el.hidden;
      });
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      } else if (focusable.indexOf(document.activeElement) === -1) {
        event.preventDefault();
        first.focus();
      }
    }

    stage.addEventListener("touchstart", function (event) {
      if (event.touches.length === 1) {
        touchStart = { x: event.touches[0].clientX, y: event.touches[0].clientY };
      }
    }, { passive: true });

    stage.addEventListener("touchend", function (event) {
      if (!touchStart || event.changedTouches.length !== 1) {
        touchStart = null;
        return;
      }
      var dx = event.changedTouches[0].clientX - touchStart.x;
      var dy = event.changedTouches[0].clientY - touchStart.y;
      touchStart = null;
      if (Math.abs(dx) >= SWIPE_MIN && Math.abs(dx) > Math.abs(dy)) {
        // Photos run from right to left in RTL: pulling the photo rightwards brings the next.
        var forward = rtl ? dx > 0 : dx < 0;
        if (forward) { next(); } else { previous(); }
      } else if (dy >= SWIPE_MIN * 2 && Math.abs(dy) > Math.abs(dx)) {
        close();
      }
    });
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), initGallery);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
