/* « Mon calendrier » on a phone: a week at a time. Opened with no month or week chosen,
   the page moves to this week's view (the "Semaine" link); every view is a plain link,
   so without JavaScript the month shows, past days folded. */
(function () {
  "use strict";
  var week = document.querySelector("a[data-week-view]");
  if (!week || window.location.search || !window.matchMedia) {
    return;
  }
  if (window.matchMedia("(max-width: 47.99em)").matches) {
    window.location.replace(week.href);
  }
})();
