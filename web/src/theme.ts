/**
 * Light and dark: follows `prefers-color-scheme` until the user picks one with the toggle,
 * then remembers the choice in localStorage.
 */
const KEY = 'streamgate.theme';
type Theme = 'light' | 'dark';

const system = (): Theme => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

function stored(): Theme | null {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : null;
}

function apply(theme: Theme, button: HTMLButtonElement): void {
  document.documentElement.dataset.theme = theme;
  button.setAttribute('aria-pressed', String(theme === 'dark'));
  button.textContent = theme === 'dark' ? '☀' : '☾';
}

export function installThemeToggle(button: HTMLButtonElement): void {
  apply(stored() ?? system(), button);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (!stored()) apply(system(), button);
  });
  button.addEventListener('click', () => {
    const next: Theme = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(KEY, next);
    apply(next, button);
  });
}
