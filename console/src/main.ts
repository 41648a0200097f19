// The console shell: takes the token from the login link, then shows one view at a time
// (hash routes, so a reload keeps the view and no server route is needed).
import './style.css';
import { takeToken } from './api.ts';
import { ApiServiceStore } from './apiservices.ts';
import { aggregationView } from './aggregation.ts';
import { certificatesView } from './certificates.ts';
import { doctorView } from './doctor.ts';
import { h } from './dom.ts';
import { whoAmI } from './identity.ts';

const VIEWS = {
  aggregation: 'Aggregation',
  certificates: 'Certificates',
  doctor: 'Doctor',
} as const;
type View = keyof typeof VIEWS;

const main = document.getElementById('main')!;
const who = document.getElementById('who')!;
const token = takeToken();

function currentView(): View {
  const name = location.hash.replace(/^#\//, '');
  return name in VIEWS ? (name as View) : 'aggregation';
}

function signedOut(): void {
  main.replaceChildren(
    h('h2', {}, 'Sign in'),
    h('p', {}, 'Open the one-time link that ', h('code', {}, 'kagg console'), ' prints. It carries a short-lived service-account token; this page keeps it for this tab only.'),
  );
}

if (!token) {
  signedOut();
} else {
  const store = new ApiServiceStore();
  void store.run();
  whoAmI().then((u) => (who.textContent = `Signed in as ${u.username ?? 'unknown'}`)).catch((err: unknown) => {
    who.textContent = `Not signed in: ${err instanceof Error ? err.message : String(err)}`;
  });
  let stop = () => {};
  const show = () => {
    stop();
    const view = currentView();
    for (const name of Object.keys(VIEWS) as View[]) {
      const tab = document.getElementById(`tab-${name}`)!;
      tab.setAttribute('aria-selected', String(name === view));
      tab.setAttribute('tabindex', name === view ? '0' : '-1');
    }
    main.setAttribute('aria-labelledby', `tab-${view}`);
    document.title = `${VIEWS[view]} · kagg console`;
    stop = view === 'aggregation' ? aggregationView(main, store) : view === 'certificates' ? certificatesView(main) : doctorView(main);
  };
  window.addEventListener('hashchange', show);
  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the view.
  document.querySelector('.tabs')!.addEventListener('keydown', (e) => {
    const ke = e as KeyboardEvent;
    if (ke.key !== 'ArrowRight' && ke.key !== 'ArrowLeft') return;
    const names = Object.keys(VIEWS) as View[];
    const i = names.indexOf(currentView());
    const next = names[(i + (ke.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
    location.hash = `#/${next}`;
    document.getElementById(`tab-${next}`)!.focus();
  });
  show();
}
