/* Collapse the main menu behind its "Menu" button on small screens.
   Without JavaScript the button stays hidden and the menu stays open. */
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav");
  var toggle = nav && nav.querySelector(".main-nav__toggle");
  if (!toggle) {
    return;
  }
  document.documentElement.classList.add("js");
  toggle.hidden = false;

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
})();

/* A page opened on a fragment whose target takes focus (tabindex="-1", such as the message
   of what was just added) gets the focus there: a screen reader reads it, Tab goes on from it. */
(function () {
  "use strict";
  var id = window.location.hash.slice(1);
  var target = id && document.getElementById(decodeURIComponent(id));
  if (target && target.getAttribute("tabindex") === "-1") {
    target.focus();
  }
})();
