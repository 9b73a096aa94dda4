/* The 好差评 dashboard's charts, drawn with Chart.js (served from the app, /staff/assets/chart.js)
   from the page's JSON data element; the series names come from the page's labels template, so
   the wording stays in the page. Animation is off: the figures are read, not watched. */
/* global document, window */
'use strict';

const labels = {};
for (const span of document.getElementById('labels').content.querySelectorAll('span')) labels[span.dataset.key] = span.textContent;
const data = JSON.parse(document.getElementById('ratings-data').textContent || '{}');
const { Chart } = window;
Chart.defaults.animation = false;
Chart.defaults.font.family = '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
Chart.defaults.maintainAspectRatio = false;

const BLUE = '#1677ff';
const GREEN = '#52c41a';
const ORANGE = '#fa8c16';
const GREY = '#d0d3d8';
/** 非常满意 … 非常不满意: green to red. */
const LEVEL_COLOURS = { 5: '#389e0d', 4: '#73d13d', 3: '#fadb14', 2: '#fa8c16', 1: '#cf1322' };
const percent = (rate) => (rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10);

const days = data.days || [];
new Chart(document.getElementById('chart-days'), {
  data: {
    labels: days.map((day) => day.day.slice(5)),
    datasets: [
      { type: 'bar', label: labels.services, data: days.map((day) => day.services), backgroundColor: GREY, yAxisID: 'count', order: 3 },
      { type: 'bar', label: labels.rated, data: days.map((day) => day.rated), backgroundColor: BLUE, yAxisID: 'count', order: 2 },
      { type: 'line', label: `${labels.ratingRate} %`, data: days.map((day) => percent(day.ratingRate)), borderColor: ORANGE, backgroundColor: ORANGE, yAxisID: 'rate', spanGaps: true, order: 1 },
      { type: 'line', label: `${labels.goodRate} %`, data: days.map((day) => percent(day.goodRate)), borderColor: GREEN, backgroundColor: GREEN, yAxisID: 'rate', spanGaps: true, order: 0 },
    ],
  },
  options: {
    interaction: { mode: 'index', intersect: false },
    scales: {
      count: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 } },
      rate: { type: 'linear', position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
    },
  },
});

const levels = data.levels || [];
new Chart(document.getElementById('chart-levels'), {
  type: 'bar',
  data: {
    labels: levels.map((level) => level.name),
    datasets: [{ label: labels.rated, data: levels.map((level) => level.count), backgroundColor: levels.map((level) => LEVEL_COLOURS[level.level]) }],
  },
  // A logarithmic axis: a handful of 差评 beside thousands of 好评 would not show on a linear one.
  options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { type: 'logarithmic', min: 0.5, ticks: { callback: (value) => ([1, 2, 5].includes(value / 10 ** Math.floor(Math.log10(value))) ? String(value) : '') }, title: { display: true, text: labels.logScale } } } },
});

const groups = data.groups || [];
new Chart(document.getElementById('chart-groups'), {
  type: 'bar',
  data: {
    labels: groups.map((group) => (group.label === '' ? labels.none : group.label.length > 12 ? `${group.label.slice(0, 12)}…` : group.label)),
    datasets: [
      { label: labels.services, data: groups.map((group) => group.services), backgroundColor: GREY },
      { label: labels.rated, data: groups.map((group) => group.rated), backgroundColor: BLUE },
    ],
  },
  options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
});

document.body.dataset.charts = 'drawn';
