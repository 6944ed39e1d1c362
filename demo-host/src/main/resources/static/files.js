// The folder list: "select all", and a count of what is selected for Delete selected / Move selected.
(function () {
  var all = document.getElementById('select-all');
  var count = document.getElementById('selected-count');
  if (!all || !count) {
    return;
  }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#items input[name=item]'));
  function update() {
    var chosen = boxes.filter(function (b) { return b.checked; }).length;
    count.textContent = chosen === 0 ? 'Select items to move or delete them together' : chosen + ' selected';
    all.checked = chosen === boxes.length && chosen > 0;
    all.indeterminate = chosen > 0 && chosen < boxes.length;
  }
  all.addEventListener('change', function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
    update();
  });
  boxes.forEach(function (b) { b.addEventListener('change', update); });
  // Close a row's menu when another opens, as menus do.
  document.querySelectorAll('details.row-menu').forEach(function (menu) {
    menu.addEventListener('toggle', function () {
      if (menu.open) {
        document.querySelectorAll('details.row-menu[open]').forEach(function (other) {
          if (other !== menu) {
            other.open = false;
          }
        });
      }
    });
  });
})();
