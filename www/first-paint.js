// The first paint in the learner's language, and of a linked lesson. On a slow classroom network the app's wasm
// takes seconds to arrive, and meanwhile index.html shows the page as the app first draws it (the static shell),
// in English. This script puts the shell's words in the learner's language (words/LANG.json, the interface's
// words by their English) and, for a course page's link into a lesson (`?lesson=basics&step=3&lang=ja`), adds
// the lesson panel: the lesson's text from lessons/ID.LANG.json, drawn inert as the app draws it. Both files are
// written by the build from what the app itself shows. The app removes the shell, panel and all, when it
// starts. Everything is built as text, never as HTML.
//
// It runs in the head, before the shell is drawn: while its files arrive the shell waits, hidden (CSS,
// `html.first-paint-waits`), so nothing is drawn in English and then moved about (no layout shift); after three
// seconds without them, the shell is shown as it is.
(() => {
  if (location.protocol === 'file:') return;
  const query = new URLSearchParams(location.search);
  if (query.get('embed')) return;
  const id = query.get('lesson');
  const languages = ['en', 'ja', 'zh-TW', 'ko'];
  // The app's choice: the link's language, else the learner's last choice, else the browser's, else English.
  const fromBrowser = (tag) => {
    const t = (tag || '').toLowerCase();
    if (t.startsWith('ja')) return 'ja';
    if (t.startsWith('zh-tw') || t.startsWith('zh-hant') || t.startsWith('zh-hk')) return 'zh-TW';
    if (t.startsWith('ko')) return 'ko';
    return t.startsWith('en') ? 'en' : null;
  };
  let stored = null;
  try { stored = localStorage.getItem('ordinal.language'); } catch { /* storage disabled */ }
  const asked = query.get('lang') || stored || fromBrowser(navigator.language) || 'en';
  const lang = languages.includes(asked) ? asked : 'en';
  const step = Math.max(0, (parseInt(query.get('step') || '1', 10) || 1) - 1);

  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  };
  const inert = (label, attrs = {}) => el('button', { ...attrs, disabled: '', tabindex: '-1' }, label);

  let shell = null;
  const draw = (lesson) => {
    const main = shell.querySelector('main.workspace');
    if (!main || !document.getElementById('shell') || !lesson.steps.length) return;
    const w = (key, n) => (lesson.words[key] || '').replace('{n}', String(n));
    const at = Math.min(step, lesson.steps.length - 1);
    const s = lesson.steps[at];
    const parts = lesson.parts;
    const partIndex = parts.reduce((found, p, i) => (p.first <= at ? i : found), -1);
    const first = partIndex >= 0 ? parts[partIndex].first : 0;
    const end = partIndex >= 0 && partIndex + 1 < parts.length ? parts[partIndex + 1].first : lesson.steps.length;

    const aside = el('aside', { class: 'lesson card', 'aria-label': lesson.title, lang });
    aside.append(el('div', { class: 'lesson-head' },
      inert(`← ${w('all-lessons')}`, { class: 'quiet mini' }),
      inert(w('close'), { class: 'quiet mini' })));
    aside.append(el('h2', { class: 'lesson-title' }, lesson.title));
    if (parts.length > 1) {
      const list = el('ol', { class: 'lesson-parts', 'aria-label': w('parts') });
      parts.forEach((p, i) => {
        const label = `${w('part', i + 1)} · ${p.title}`;
        list.append(el('li', i === partIndex ? { class: 'current' } : {},
          inert(String(i + 1), { class: 'part-no', 'aria-current': i === partIndex ? 'true' : null, title: label, 'aria-label': label })));
      });
      aside.append(list);
    }
    if (partIndex >= 0) aside.append(el('h3', { class: 'lesson-part' }, `${w('part', partIndex + 1)} · ${parts[partIndex].title}`));
    const steps = el('ol', { class: 'lesson-steps', 'aria-label': w('step') });
    for (let i = first; i < end; i++) {
      const title = `${w('step')} ${i + 1}`;
      steps.append(el('li', i === at ? { class: 'current' } : {},
        inert(String(i + 1), { class: 'step-no', 'aria-current': i === at ? 'step' : null, title, 'aria-label': title })));
    }
    aside.append(steps);
    if (at > 0) aside.append(el('div', { class: 'step-actions' }, inert(w('catch-up', at), { class: 'mini' })));
    aside.append(el('p', { class: 'step-text' }, s.text));
    if (s.note) aside.append(el('p', { class: 'step-note' }, el('strong', {}, `${w('note')}: `), s.note));
    if (s.file) aside.append(el('div', { class: 'step-actions' }, inert(`${w('open-file')}: ${s.file}`, { class: 'mini' })));
    if (s.run) {
      aside.append(el('pre', { class: 'step-run' }, el('code', {}, s.run)));
      aside.append(el('div', { class: 'step-actions' }, inert(w('copy'), { class: 'mini' })));
    }
    aside.append(el('details', { class: 'step-goal' }, el('summary', {}, w('goal'))));
    const hint = el('details', { class: 'step-hint' }, el('summary', {}, w('stuck')));
    if (s.hint) hint.append(el('p', {}, s.hint));
    if (s.show) hint.append(inert(w('show'), { class: 'mini' }));
    aside.append(hint);
    aside.append(el('p', { class: 'step-status wait' }, w('waiting')));
    const nav = el('div', { class: 'step-nav' }, inert(w('back')));
    if (at + 1 < lesson.steps.length) nav.append(inert(w('next')));
    aside.append(nav);
    if (lesson.source) {
      aside.append(el('p', { class: 'lesson-source' }, `${w('source')}: `,
        el('a', { href: lesson.source, target: '_blank', rel: 'noopener', tabindex: '-1' }, lesson.source.replace(/^https:\/\//, ''))));
    }
    main.classList.add('with-lesson');
    shell.querySelector('.toolbar > button[aria-pressed]')?.setAttribute('aria-pressed', 'true');
    main.prepend(aside);
    document.documentElement.setAttribute('lang', lang);
  };

  // The shell's words, attributes and the language menu, in `lang`.
  const translate = ({ words, counted }) => {
    if (!document.getElementById('shell')) return;
    const own = (text) => Object.prototype.hasOwnProperty.call(words, text);
    // A text of several lines (the terminal's greeting) may be drawn a line at a time.
    for (const [english, there] of Object.entries(words)) {
      const [a, b] = [english.split('\n'), there.split('\n')];
      if (a.length > 1 && a.length === b.length) a.forEach((x, i) => { if (!own(x)) words[x] = b[i]; });
    }
    // `{n} pods` as a pattern: the number kept, the words around it in `lang`.
    const patterns = counted.map(([english, there]) => {
      const [before, after] = english.split('{n}').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return [new RegExp(`(^|\\W)${before}(\\d+)${after}(?=\\W|$)`, 'g'), there];
    });
    const line = (text) => {
      if (own(text)) return words[text];
      let out = text;
      for (const [re, there] of patterns) out = out.replace(re, (_, lead, n) => lead + there.replace('{n}', n));
      return out;
    };
    const walker = document.createTreeWalker(shell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('textarea, aside.lesson')) continue;
      n.nodeValue = own(n.nodeValue) ? words[n.nodeValue] : n.nodeValue.split('\n').map(line).join('\n');
    }
    for (const e of shell.querySelectorAll('[title], [aria-label]')) {
      if (e.closest('aside.lesson')) continue;
      for (const a of ['title', 'aria-label']) {
        const v = e.getAttribute(a);
        if (v !== null && own(v)) e.setAttribute(a, words[v]);
      }
    }
    const menu = shell.querySelector('select.language');
    if (menu) for (const o of menu.options) o.selected = o.value === lang;
    document.documentElement.setAttribute('lang', lang);
  };
  const get = (path) => fetch(path).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  const wanted = [];
  if (lang !== 'en') wanted.push(get(`words/${lang}.json`).then((found) => () => found && translate(found)));
  if (id && /^[A-Za-z0-9_-]+$/.test(id)) wanted.push(get(`lessons/${id}.${lang}.json`).then((found) => () => found && draw(found)));
  if (!wanted.length) return;
  const root = document.documentElement;
  root.classList.add('first-paint-waits');
  const show = () => root.classList.remove('first-paint-waits');
  setTimeout(show, 3000);
  const parsed = new Promise((ok) => (document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', ok) : ok()));
  // Nothing fetched: the shell is shown as it is, until the app starts.
  Promise.all([parsed, ...wanted]).then(([, ...steps]) => {
    shell = document.getElementById('shell');
    if (shell) for (const step of steps) step();
  }).finally(show);
})();
