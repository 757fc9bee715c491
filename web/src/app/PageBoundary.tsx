/**
 * The routed page, inside an error boundary: a page's code is fetched when it is first opened (lazy()),
 * and a fetch that fails (the server down, a restart) would otherwise blank the whole app until a
 * reload, losing what was typed. The failure is said in the page area instead, the top bar stays usable,
 * and Retry imports the page afresh: a new lazy() each time, since a lazy() that failed keeps its
 * error. The shell keys the boundary by path, so opening another page starts it afresh.
 *
 * A browser keeps a failed module for the rest of the document, and the page's chunk imports chunks
 * shared with other pages by their fixed addresses: when the page's own chunk can be fetched but the
 * import still fails, one of those failed, and no Retry can bring it back. The page area then says a
 * reload is needed and offers one, instead of a Retry that fails for ever.
 */
import { Component, Suspense, lazy, type ComponentType, type ReactNode } from 'react';
import type { PageModule } from '../pages/types.ts';

/** A page's code that could not be fetched (not an error of the page itself). */
class PageLoadError extends Error {
  /** the server answers, so what failed is kept by the browser: only a reload fetches it again */
  constructor(
    message: string,
    readonly needsReload: boolean,
  ) {
    super(message);
  }
}

/** whether the server now serves this chunk (a fresh request, past any cache) */
async function serves(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}?probe=${Date.now()}`, { cache: 'no-store' })).ok;
  } catch {
    return false;
  }
}

type PageCode = { default: ComponentType };

/** The component to render for each path; replaced by a fresh one after a failed load. */
const current = new Map<string, ComponentType>();
/** the chunk whose fetch failed, by path: Chromium keeps the failure of an import() for its URL, so a retry asks for it under another */
const failedChunk = new Map<string, string>();

/** Stylesheets whose fetch failed (a page's CSS, preloaded with its code once only) are asked for again. */
function refetchFailedStyles(): void {
  for (const l of document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')) {
    if (l.sheet === null) l.replaceWith(l.cloneNode());
  }
}

async function importPage(page: PageModule, load: () => Promise<PageCode>): Promise<PageCode> {
  const chunk = failedChunk.get(page.path);
  try {
    if (chunk === undefined) return await load();
    refetchFailedStyles();
    return (await import(/* @vite-ignore */ `${chunk}?retry=${Date.now()}`)) as PageCode;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Chromium and Firefox name the module that failed: the page's chunk, or one it imports
    const url = /https?:\/\/[^\s'"?#]+\.js\b/.exec(message)?.[0];
    if (url !== undefined && chunk === undefined) failedChunk.set(page.path, url);
    const named = chunk ?? url;
    throw new PageLoadError(message, named !== undefined && (await serves(named)));
  }
}

function fresh(page: PageModule): ComponentType {
  const load = page.load;
  const c = load === undefined ? page.Component : lazy(() => importPage(page, load));
  current.set(page.path, c);
  return c;
}

const componentOf = (page: PageModule): ComponentType => current.get(page.path) ?? fresh(page);

interface Props {
  page: PageModule;
}
interface State {
  Page: ComponentType;
  error: Error | null;
  /** bumped by Retry: the page is mounted anew */
  attempt: number;
}

export class PageBoundary extends Component<Props, State> {
  constructor(props: Props) {
    super(props);
    this.state = { Page: componentOf(props.page), error: null, attempt: 0 };
  }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(): void {
    // the next mount of this path (Retry, or coming back to it) fetches the code again
    fresh(this.props.page);
  }

  private retry = () => {
    this.setState((s) => ({ Page: componentOf(this.props.page), error: null, attempt: s.attempt + 1 }));
  };

  private reload = () => {
    window.location.reload();
  };

  override render(): ReactNode {
    const { Page, error, attempt } = this.state;
    if (error !== null) {
      if (error instanceof PageLoadError && error.needsReload) {
        return (
          <div className="empty page-failed" role="alert">
            <h3>This page could not be loaded</h3>
            <p>
              Part of its code, shared with other pages, could not be fetched, and the browser will not ask for it again
              until the app is reloaded. The server answers now. Reloading opens this page again; what you typed on other
              pages may be lost.
            </p>
            <p>
              <button type="button" className="btn primary" onClick={this.reload}>
                Reload
              </button>
            </p>
          </div>
        );
      }
      const load = error instanceof PageLoadError;
      return (
        <div className="empty page-failed" role="alert">
          <h3>{load ? 'This page could not be loaded' : 'This page stopped with an error'}</h3>
          <p>
            {load
              ? 'The server did not answer when the page was fetched. The other pages, and what you typed there, are as you left them.'
              : `${error.message}. The other pages, and what you typed there, are as you left them.`}
          </p>
          <p>
            <button type="button" className="btn primary" onClick={this.retry}>
              Retry
            </button>
          </p>
        </div>
      );
    }
    return (
      <Suspense
        fallback={
          <div className="empty">
            <span className="spinner" />
          </div>
        }
      >
        <Page key={attempt} />
      </Suspense>
    );
  }
}
