'use strict';
// Hand-written SVG chart: grouped bars of latency percentiles (p50/p95/p99) per configuration.

const COLORS = { p50: '#4e79a7', p95: '#f28e2b', p99: '#e15759' };
const SERIES = ['p50', 'p95', 'p99'];

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A "nice" axis maximum and tick step covering `max`. */
function niceScale(max) {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const rough = max / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= rough);
  return { top: Math.ceil(max / step) * step, step };
}

function fmt(x) {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/**
 * Renders the chart.
 * @param {{ label: string, p50?: number, p95?: number, p99?: number }[]} groups
 * @param {{ title?: string, subtitle?: string, unit?: string }} [opts]
 * @returns {string} a standalone SVG document
 */
function latencyChart(groups, opts = {}) {
  const unit = opts.unit ?? 'ms';
  const barW = 26;
  const gap = 6;
  const groupW = SERIES.length * barW + (SERIES.length - 1) * gap + 40;
  const left = 70;
  const right = 20;
  const top = 70;
  const plotH = 280;
  const bottom = 80;
  const width = Math.max(480, left + right + Math.max(1, groups.length) * groupW);
  const height = top + plotH + bottom;
  const max = Math.max(0, ...groups.flatMap((g) => SERIES.map((s) => (Number.isFinite(g[s]) ? g[s] : 0))));
  const { top: yTop, step } = niceScale(max);
  const y = (v) => top + plotH - (v / yTop) * plotH;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="24" font-size="16" font-weight="bold">${esc(opts.title ?? 'Latency percentiles per configuration')}</text>`);
  if (opts.subtitle) out.push(`<text x="${left}" y="42" fill="#555">${esc(opts.subtitle)}</text>`);
  // legend
  SERIES.forEach((s, i) => {
    const lx = width - right - (SERIES.length - i) * 70;
    out.push(`<rect x="${lx}" y="50" width="12" height="12" fill="${COLORS[s]}"/><text x="${lx + 16}" y="60">${s}</text>`);
  });
  // grid and y axis
  for (let v = 0; v <= yTop + step / 2; v += step) {
    const yy = y(v).toFixed(1);
    out.push(`<line x1="${left}" y1="${yy}" x2="${width - right}" y2="${yy}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${left - 6}" y="${(+yy + 4).toFixed(1)}" text-anchor="end" fill="#333">${esc(String(+v.toFixed(6)))}</text>`);
  }
  out.push(`<text transform="translate(18 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">latency (${esc(unit)})</text>`);
  out.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#333"/>`);
  if (!groups.length) {
    out.push(`<text x="${width / 2}" y="${top + plotH / 2}" text-anchor="middle" fill="#888">no latency figures in this run</text>`);
  }
  groups.forEach((g, gi) => {
    const gx = left + gi * groupW + 20;
    SERIES.forEach((s, si) => {
      const v = g[s];
      if (!Number.isFinite(v)) return;
      const x = gx + si * (barW + gap);
      const yy = y(v);
      out.push(`<rect x="${x}" y="${yy.toFixed(1)}" width="${barW}" height="${(top + plotH - yy).toFixed(1)}" fill="${COLORS[s]}"><title>${esc(`${g.label} ${s}: ${fmt(v)} ${unit}`)}</title></rect>`);
      out.push(`<text x="${x + barW / 2}" y="${(yy - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${esc(fmt(v))}</text>`);
    });
    const cx = gx + (SERIES.length * barW + (SERIES.length - 1) * gap) / 2;
    const words = String(g.label).split(/\s+/);
    const lines = [];
    for (const w of words) {
      const last = lines[lines.length - 1];
      if (last && (last + ' ' + w).length <= 18) lines[lines.length - 1] = last + ' ' + w;
      else lines.push(w);
    }
    lines.slice(0, 3).forEach((l, li) => {
      out.push(`<text x="${cx}" y="${top + plotH + 18 + li * 14}" text-anchor="middle" fill="#222">${esc(l)}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * Groups records named `<prefix>.latency.p50|p95|p99` (unit ms) into chart groups.
 * @param {{ name: string, value: number|null, unit: string }[]} records
 * @param {(prefix: string) => string} [label] display label of a group
 */
function latencyGroups(records, label = (p) => p) {
  const groups = new Map();
  for (const r of records) {
    const m = /^(.+)\.latency\.(p50|p95|p99)$/.exec(r.name);
    if (!m || r.unit !== 'ms' || typeof r.value !== 'number') continue;
    if (!groups.has(m[1])) groups.set(m[1], { label: label(m[1]) });
    groups.get(m[1])[m[2]] = r.value;
  }
  return [...groups.values()];
}

module.exports = { latencyChart, latencyGroups, niceScale };
