// "Copy" buttons: <button data-copy="f-id"> copies the value of the field with that id, and says so.
document.addEventListener('click', function (event) {
  var button = event.target.closest('button[data-copy]');
  if (!button) {
    return;
  }
  var field = document.getElementById(button.getAttribute('data-copy'));
  var done = function () {
    button.textContent = 'Copied';
    setTimeout(function () { button.textContent = 'Copy link'; }, 2000);
  };
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand('copy'); done(); });
  } else {
    document.execCommand('copy');
    done();
  }
});
