// Sets the theme before the first paint, so a dark page never flashes white.
// A plain file, not inline, so a strict Content-Security-Policy can still allow it.
try {
  var t = localStorage.getItem('streamgate.theme');
  if (t !== 'light' && t !== 'dark') t = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = t;
} catch (e) {}
