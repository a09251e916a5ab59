// Applies the saved or OS theme before the first paint, so dark mode never flashes white.
// A plain file (not inline) because the UI's Content-Security-Policy allows only 'self' scripts.
try {
  var t = localStorage.getItem('gan-studio.theme');
  var dark = t === 'dark' || ((!t || t === 'system') && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
} catch (e) {
  /* storage unavailable: the app applies the theme once it starts */
}
