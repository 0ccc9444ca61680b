/* The comment form: reply to a comment in place, cancel the reply, get another captcha.
   Without this script the same works through links (?reply_to=<id>#comment-form) and a
   submit button that reloads the form with a new captcha, keeping what was typed. */
(function () {
  "use strict";

  var form = document.querySelector("[data-comment-form]");
  if (!form) { return; }
  var box = document.getElementById("comment-form");
  var banner = form.querySelector("[data-reply-banner]");
  var label = form.querySelector("[data-reply-label]");
  var parentInput = form.querySelector('input[name="parent"]');
  var textArea = form.querySelector('textarea[name="text"]');

  function showReply(id, text) {
    parentInput.value = id;
    label.textContent = text;
    banner.classList.remove("d-none");
    box.scrollIntoView({ behavior: "smooth", block: "start" });
    focusText();
  }

  /* A disabled box cannot take the focus: a form still waiting for its captcha gets it once
     it is enabled (arm, below). */
  var focusWhenReady = false;
  function focusText() {
    if (!textArea) { return; }
    if (textArea.matches(":disabled")) { focusWhenReady = true; return; }
    textArea.focus({ preventScroll: true });
  }

  function cancelReply() {
    parentInput.value = "";
    label.textContent = "";
    banner.classList.add("d-none");
    var url = new URL(window.location.href);
    if (url.searchParams.has("reply_to")) {
      url.searchParams.delete("reply_to");
      window.history.replaceState(null, "", url.pathname + url.search + "#comment-form");
    }
  }

  document.querySelectorAll("[data-reply-to]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      showReply(link.getAttribute("data-reply-to"), link.getAttribute("data-reply-label"));
      var url = new URL(window.location.href);
      url.searchParams.set("reply_to", link.getAttribute("data-reply-to"));
      url.searchParams.delete("sent");
      window.history.replaceState(null, "", url.pathname + url.search + "#comment-form");
    });
  });

  var cancel = form.querySelector("[data-reply-cancel]");
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      cancelReply();
      focusText();
    });
  }

  /* A new challenge from the refresh view (and this visitor's CSRF token), put in the form. */
  var refresh = form.querySelector("[data-captcha-refresh]");
  function fetchChallenge(done) {
    var request = new XMLHttpRequest();
    request.open("GET", refresh.getAttribute("data-captcha-refresh"));
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.responseType = "json";
    request.onload = function () {
      if (request.status !== 200 || !request.response) { return; }
      form.querySelector("[data-captcha-image]").src = request.response.image_url;
      form.querySelector('input[name="captcha_0"]').value = request.response.key;
      var token = form.querySelector("[data-csrf-token]");
      if (token) { token.value = request.response.csrf_token; }
      form.querySelector('input[name="captcha_1"]').value = "";
      if (done) { done(); }
    };
    request.send();
  }

  if (refresh) {
    refresh.addEventListener("click", function (event) {
      event.preventDefault();
      fetchChallenge(function () { form.querySelector('input[name="captcha_1"]').focus(); });
    });
  }

  /* A page served from the cache: its form waits, disabled, for this reader's token and
     captcha, fetched once the form is close to the screen (or a reply link is used). */
  var waiting = form.querySelector("[data-waiting]");
  var armed = false;
  function arm() {
    if (!waiting || armed) { return; }
    armed = true;
    fetchChallenge(function () {
      waiting.disabled = false;
      waiting.removeAttribute("data-waiting");
      if (focusWhenReady) { focusWhenReady = false; focusText(); }
    });
  }
  if (waiting) {
    document.querySelectorAll("[data-reply-to]").forEach(function (link) {
      link.addEventListener("click", arm);
    });
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          arm();
        }
      }, { rootMargin: "400px 0px" });
      observer.observe(box);
    } else {
      arm();
    }
  }
})();
