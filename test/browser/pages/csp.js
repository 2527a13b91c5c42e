// The page script of csp.html (inline script is not allowed there): sets the plugin up from the
// query string and plays, counting any Content Security Policy violation.
window.violations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
var query = new URLSearchParams(location.search);
var player = videojs('player', { muted: true });
player.mediaCollection(JSON.parse(query.get('options')));
player.src({ src: query.get('src'), type: 'video/mp4' });
player.play();
