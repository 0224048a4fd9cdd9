// fleetcpu dashboard: the copy buttons next to each rendering of the recommended CPU. Nothing else runs.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var status = document.getElementById('copy-status');
  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) {
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      var name = button.getAttribute('data-copy').replace(/^format-/, '');
      var text = target.textContent;
      // The Clipboard API needs a secure context (HTTPS or localhost); elsewhere the text is selected and
      // copied the old way, or left selected for Ctrl+C.
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          say('Copied ' + name + ' to the clipboard.');
        }, function () {
          selectText(target);
          say('Could not copy ' + name + '; it is selected: press Ctrl+C.');
        });
        return;
      }
      selectText(target);
      var copied = false;
      try {
        copied = document.execCommand('copy');
      } catch (e) {
        copied = false;
      }
      say(copied ? 'Copied ' + name + ' to the clipboard.' : name + ' is selected: press Ctrl+C to copy it.');
    });
  });
});
