// Progressive enhancement only: every page is complete without this file.
document.documentElement.classList.add("has-js");
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("only-conflicts");
  if (!box) return;
  box.addEventListener("change", function () {
    document.querySelector(".side-by-side").classList.toggle("hide-non-conflicts", box.checked);
  });
});
