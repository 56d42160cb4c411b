/* Small page behaviours bound from data- attributes, because the Content-Security-Policy refuses
   inline event handlers (onclick=, onchange=, onsubmit=).

   - <button data-print>: prints the page.
   - <input data-autosubmit>: submits its form when it changes.
   - <form data-action-from="FIELD">: submits to ../<value of FIELD>/ (e.g. another district). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target, name = form.dataset ? form.dataset.actionFrom : null;
    if (name && form.elements[name]) {
      form.action = "../" + encodeURIComponent(form.elements[name].value) + "/";
    }
  }, true);
})();
