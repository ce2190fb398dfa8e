/* A form that changes something is sent once: after the first submit its buttons are
   disabled (a second click, or Enter pressed twice, sends nothing more). Disabled on the
   next tick, so the button pressed still sends its name and value. A page shown again from
   the browser's history gets its buttons back. Forms marked data-resubmit are left alone. */
(function () {
  "use strict";
  var BUTTONS = 'button[type="submit"], button:not([type]), input[type="submit"]';

  function isGuarded(form) {
    return (
      form.method && form.method.toLowerCase() === "post" && !form.hasAttribute("data-resubmit")
    );
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !isGuarded(form)) {
      return;
    }
    if (form.getAttribute("data-submitting") === "true") {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) {
      return;
    }
    form.setAttribute("data-submitting", "true");
    window.setTimeout(function () {
      form.querySelectorAll(BUTTONS).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll('form[data-submitting="true"]').forEach(function (form) {
      form.removeAttribute("data-submitting");
      form.querySelectorAll(BUTTONS).forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
})();
