/* A campaign's page: its figures redrawn every few seconds while it runs or its messages wait in
   the outbox (from
   /staff/campaigns/:id/stats), and the numbers it reached drawn with Chart.js (served from the
   app, /staff/assets/chart.js). The series names come from the page's labels template, so the
   wording stays in the page. */
/* global document, window */
'use strict';

const REFRESH_MS = 3000;
const labels = {};
for (const span of document.getElementById('labels').content.querySelectorAll('span')) labels[span.dataset.key] = span.textContent;
const section = document.getElementById('campaign');
const { Chart } = window;
Chart.defaults.animation = false;
Chart.defaults.font.family = '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
Chart.defaults.maintainAspectRatio = false;

const FUNNEL = ['targeted', 'sent', 'delivered', 'displayed', 'deliveredAsSms', 'failed'];
const COLOURS = ['#d0d3d8', '#1677ff', '#52c41a', '#389e0d', '#fa8c16', '#cf1322'];
const valueAt = (stats, path) => path.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), stats);

const chart = new Chart(document.getElementById('chart-funnel'), {
  type: 'bar',
  data: { labels: FUNNEL.map((key) => labels[key]), datasets: [{ label: labels.count, data: [], backgroundColor: COLOURS }] },
  options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
});

function draw(stats) {
  for (const element of document.querySelectorAll('[data-stat]')) {
    const value = valueAt(stats, element.dataset.stat);
    if (value !== undefined) element.textContent = String(value);
  }
  chart.data.datasets[0].data = FUNNEL.map((key) => stats[key]);
  chart.update();
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn || 0) + 1);
}

function later() {
  window.setTimeout(() => refresh().catch(later), REFRESH_MS);
}

async function refresh() {
  const response = await fetch(`/staff/campaigns/${section.dataset.id}/stats`, { headers: { accept: 'application/json' } });
  if (!response.ok) return later();
  const { status, stats } = await response.json();
  draw(stats);
  // A change of status brings other actions: the page is drawn again.
  if (status !== document.querySelector('#campaign [data-status]').dataset.status) window.location.reload();
  else if (status === 'running' || status === 'scheduled' || stats.queued > 0) later();
}

draw(JSON.parse(document.getElementById('campaign-stats').textContent || '{}'));
if (section.dataset.live === 'yes') later();
