/**
 * `<liveness-capture src="https://liveness.example/capture?session=ses_…#token=…">`: the capture page
 * embedded in an integrator's own page, as one element. It frames the page (camera allowed) and
 * re-dispatches what the page reports as DOM events on the element:
 * - `result`: `event.detail` = { session, result (the contract's seven fields), inconclusive, challenge };
 * - `error`: `event.detail` = { session, heading, detail, retryable };
 * - `passive-requested`: the user asked for a check without flashing colours (open a plain session).
 * The liveness server must list the embedding origin in LIVENESS_FRAME_ANCESTORS. The verdict shown
 * here is for the user interface; the back end reads the result with GET /v1/sessions/{id}.
 *
 * @example
 * <script type="module" src="https://liveness.example/capture/liveness-capture.js"></script>
 * <liveness-capture src="https://liveness.example/capture?session=ses_abc#token=…"></liveness-capture>
 * <script>document.querySelector('liveness-capture').addEventListener('result', (e) => console.log(e.detail.result));</script>
 */
class LivenessCapture extends HTMLElement {
  /** @type {HTMLIFrameElement | null} */
  #frame = null;
  #onMessage = (/** @type {MessageEvent} */ event) => {
    if (!this.#frame || event.source !== this.#frame.contentWindow) return;
    if (event.origin !== new URL(this.#frame.src).origin) return;
    const { type, ...detail } = event.data ?? {};
    if (typeof type !== 'string' || !type.startsWith('liveness:')) return;
    this.dispatchEvent(new CustomEvent(type.slice('liveness:'.length), { detail, bubbles: true }));
  };

  connectedCallback() {
    const src = this.getAttribute('src');
    if (!src) {
      this.dispatchEvent(new CustomEvent('error', { detail: { heading: 'No capture link', detail: 'Set the src attribute to the session\'s capture URL.', retryable: false } }));
      return;
    }
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.allow = 'camera';
    frame.title = this.getAttribute('label') ?? 'Face check';
    frame.style.cssText = 'border:0;width:100%;height:100%;min-height:640px';
    this.#frame = frame;
    window.addEventListener('message', this.#onMessage);
    this.replaceChildren(frame);
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.#onMessage);
    this.#frame = null;
  }
}

if (!customElements.get('liveness-capture')) customElements.define('liveness-capture', LivenessCapture);
