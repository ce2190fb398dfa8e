/* « Mon calendrier ». Without JavaScript every view is a plain link and the booking form a
   plain form: the page works the same, only with a page load more. */
(function () {
  "use strict";

  /* On a phone, a week at a time: opened with no month or week chosen, the page moves to
     this week's view (the "Semaine" link); without JavaScript the month shows, past days
     folded. */
  function openThisWeekOnPhones() {
    var week = document.querySelector("a[data-week-view]");
    if (!week || window.location.search || !window.matchMedia) {
      return;
    }
    if (window.matchMedia("(max-width: 47.99em)").matches) {
      window.location.replace(week.href);
    }
  }

  /* « Réserver les jours cochés » without leaving the page: the form is sent by fetch
     (its CSRF token with it), the server answers the updated grid and the outcome
     (reservations/portal/days_views.py), which replace the page's own; focus moves to the
     outcome, read out by its live region. The button is disabled while sending. Anything
     unexpected (an error, a login page) and the form is sent the usual way. */
  var FRAGMENT_HEADERS = { "X-Requested-With": "fetch" };

  function moveChildren(from, to) {
    to.replaceChildren();
    while (from.firstChild) {
      to.appendChild(document.adoptNode(from.firstChild));
    }
  }

  function bookInPlace(form) {
    var button = form.querySelector('button[type="submit"]');
    var grid = form.querySelector("[data-cal-grid]");
    var outcome = form.querySelector("[data-cal-outcome]");
    var sending = false;
    if (!button || !grid || !outcome) {
      return;
    }

    function busy(on) {
      sending = on;
      button.disabled = on;
      grid.setAttribute("aria-busy", on ? "true" : "false");
      if (on) {
        button.setAttribute("aria-busy", "true");
      } else {
        button.removeAttribute("aria-busy");
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) {
        return;
      }
      busy(true);
      window
        .fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: FRAGMENT_HEADERS,
          credentials: "same-origin",
        })
        .then(function (response) {
          if (!response.ok || !response.headers.get("Content-Type").startsWith("text/html")) {
            throw new Error("unexpected answer: " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var answer = new DOMParser().parseFromString(html, "text/html");
          var newGrid = answer.querySelector("[data-cal-grid]");
          var newOutcome = answer.querySelector("[data-cal-outcome]");
          if (!newGrid || !newOutcome) {
            throw new Error("no grid in the answer");
          }
          moveChildren(newGrid, grid);
          moveChildren(newOutcome, outcome);
          busy(false);
          outcome.focus();
        })
        .catch(function () {
          form.submit();
        });
    });
  }

  openThisWeekOnPhones();
  if (window.fetch && window.FormData && window.DOMParser) {
    document.querySelectorAll("form[data-cal-book]").forEach(bookInPlace);
  }
})();
