/* Small behaviours of Loket's pages, here rather than inline (the CSP allows no inline handlers). */
document.addEventListener("change", function (e) {
  var t = e.target;
  if (t.matches("select[data-submit-on-change]")) t.form.submit();
  if (t.matches("select[data-fills]")) {
    var o = t.options[t.selectedIndex], target = document.getElementById(t.dataset.fills);
    if (o && o.dataset.text && target) target.value = o.dataset.text;
  }
});
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});
