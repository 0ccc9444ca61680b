// On a phone the panel's section tabs scroll sideways; bring the current one into view.
document.addEventListener("DOMContentLoaded", function () {
  var current = document.querySelector(".panel-nav .nav-link.active");
  if (current && current.scrollIntoView) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }
});
