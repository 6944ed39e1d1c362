// The name typed into an Add form is kept while the person signs in with Microsoft and picks a site (pages that
// leave this one), and comes back when the form does; Save or Cancel forgets it. Per browser tab.
(function () {
  var form = document.getElementById('provider-form');
  var name = document.getElementById('f-name');
  if (!form || !name) {
    return;
  }
  var key = 'docbridge.typed-name:' + form.getAttribute('action');
  var typed = window.sessionStorage.getItem(key);
  if (typed) {
    name.value = typed;
  }
  name.addEventListener('input', function () {
    window.sessionStorage.setItem(key, name.value);
  });
  function forget() {
    window.sessionStorage.removeItem(key);
  }
  form.addEventListener('submit', forget);
  form.querySelectorAll('.actions a').forEach(function (cancel) {
    cancel.addEventListener('click', forget);
  });
})();
