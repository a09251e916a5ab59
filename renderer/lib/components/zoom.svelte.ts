// One zoom/pan state that several views can share, so two images (before/after, checkpoint A/B)
// always show the same region at the same magnification.
export class ZoomState {
  scale = $state(1);
  x = $state(0);
  y = $state(0);
  readonly min = 0.25;
  readonly max = 32;

  get transform(): string {
    return `translate(${this.x}px, ${this.y}px) scale(${this.scale})`;
  }

  /** Zooms by `factor` keeping the point (px, py), relative to the box centre, fixed. */
  zoomAt(factor: number, px = 0, py = 0): void {
    const next = Math.min(this.max, Math.max(this.min, this.scale * factor));
    const k = next / this.scale;
    this.x = px - (px - this.x) * k;
    this.y = py - (py - this.y) * k;
    this.scale = next;
  }

  pan(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
  }

  reset(): void {
    this.scale = 1;
    this.x = 0;
    this.y = 0;
  }

  /** Wheel and drag handlers for a box; returns an action-like attach function. */
  attach = (el: HTMLElement) => {
    const onwheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      this.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left - rect.width / 2, e.clientY - rect.top - rect.height / 2);
    };
    let dragging: { x: number; y: number } | null = null;
    const ondown = (e: PointerEvent) => {
      if ((e.target as HTMLElement).closest('[data-no-pan]')) return;
      dragging = { x: e.clientX, y: e.clientY };
      el.setPointerCapture?.(e.pointerId);
    };
    const onmove = (e: PointerEvent) => {
      if (!dragging) return;
      this.pan(e.clientX - dragging.x, e.clientY - dragging.y);
      dragging = { x: e.clientX, y: e.clientY };
    };
    const onup = () => (dragging = null);
    el.addEventListener('wheel', onwheel, { passive: false });
    el.addEventListener('pointerdown', ondown);
    el.addEventListener('pointermove', onmove);
    el.addEventListener('pointerup', onup);
    el.addEventListener('pointercancel', onup);
    return () => {
      el.removeEventListener('wheel', onwheel);
      el.removeEventListener('pointerdown', ondown);
      el.removeEventListener('pointermove', onmove);
      el.removeEventListener('pointerup', onup);
      el.removeEventListener('pointercancel', onup);
    };
  };
}
