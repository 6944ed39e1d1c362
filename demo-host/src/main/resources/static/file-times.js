// A form that uploads one file and has a "modified" field sends the file's own modified time with it, so the
// stored document keeps its date rather than the upload's. Without script the field stays empty and the
// service's time applies.
(function () {
  document.querySelectorAll('form input[name=modified]').forEach(function (field) {
    var file = field.form.querySelector('input[type=file]');
    if (!file) {
      return;
    }
    file.addEventListener('change', function () {
      field.value = file.files.length === 1 ? String(file.files[0].lastModified) : '';
    });
  });
})();
