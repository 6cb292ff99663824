/**
 * Small inline SVG charts for the HTML report (no script, no network): an hour-of-week heatmap and
 * a horizontal bar chart. Pure; every text is escaped.
 */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** 7 × 24 cells, darker for more events; each cell has a tooltip with its count. */
export function heatmapSvg(eventsByHourOfWeek: readonly number[], timeZone: string): string {
  const cell = 16;
  const left = 34;
  const top = 16;
  const max = Math.max(1, ...eventsByHourOfWeek);
  const cells: string[] = [];
  for (let d = 0; d < 7; d++) {
    cells.push(`<text x="0" y="${top + d * cell + 12}" font-size="10">${DAYS[d]}</text>`);
    for (let h = 0; h < 24; h++) {
      const n = eventsByHourOfWeek[d * 24 + h] ?? 0;
      const alpha = n === 0 ? 0.04 : 0.15 + 0.85 * Math.sqrt(n / max);
      cells.push(
        `<rect x="${left + h * cell}" y="${top + d * cell}" width="${cell - 1}" height="${cell - 1}" fill="rgba(37,99,235,${alpha.toFixed(3)})"><title>${DAYS[d]} ${String(h).padStart(2, "0")}:00 ${escapeHtml(timeZone)}: ${n} events</title></rect>`,
      );
    }
  }
  for (let h = 0; h < 24; h += 3) cells.push(`<text x="${left + h * cell}" y="10" font-size="9">${h}</text>`);
  const width = left + 24 * cell;
  const height = top + 7 * cell;
  return `<svg role="img" aria-label="activity by hour of week" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${cells.join("")}</svg>`;
}

/** Horizontal bars with their labels and values. */
export function barsSvg(items: readonly { label: string; value: number; text?: string }[], width = 520): string {
  const row = 18;
  const labelWidth = 300;
  const max = Math.max(1e-9, ...items.map((i) => i.value));
  const bars = items.map((item, i) => {
    const w = Math.max(1, ((width - labelWidth - 60) * item.value) / max);
    const y = i * row;
    return (
      `<text x="${labelWidth - 4}" y="${y + 12}" font-size="10" text-anchor="end">${escapeHtml(item.label.length > 52 ? `${item.label.slice(0, 51)}…` : item.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" fill="#2563eb"><title>${escapeHtml(item.label)}</title></rect>` +
      `<text x="${labelWidth + w + 4}" y="${y + 12}" font-size="10">${escapeHtml(item.text ?? String(item.value))}</text>`
    );
  });
  const height = Math.max(row, items.length * row);
  return `<svg role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars.join("")}</svg>`;
}
