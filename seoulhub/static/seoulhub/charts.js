/* Draws the hub's Plotly charts from data attributes, so pages need no inline script (the
   Content-Security-Policy refuses inline scripts). Pages load plotly.min.js themselves.

   - <div class="chart" data-figure="[traces]">: a list of traces (radar trends), or a whole
     {data, layout} figure (the landscape's quadrant); a point whose customdata is a path of
     the hub links there.
   - <div class="plotly-figure" data-figure="{data, layout}" data-config="{...}">: a whole
     figure made by plotly in Python (observatory maps and charts).

   On Korean pages the modebar speaks Korean and date axes read "2026년 4월", not "Apr 2026". */
(function () {
  "use strict";

  var korean = (document.documentElement.lang || "").indexOf("ko") === 0;
  var DATE = /^\d{4}-\d{2}(-\d{2})?$/;

  var KOREAN = {
    moduleType: "locale",
    name: "ko",
    dictionary: {
      "Autoscale": "자동 크기",
      "Box Select": "상자 선택",
      "Click to enter Colorscale title": "색상 범례 제목 입력",
      "Compare data on hover": "마우스를 올려 데이터 비교",
      "Double-click to zoom back out": "두 번 클릭하면 원래 크기로",
      "Download plot": "그래프 내려받기",
      "Download plot as a png": "PNG로 내려받기",
      "Lasso Select": "올가미 선택",
      "Orbital rotation": "궤도 회전",
      "Pan": "이동",
      "Produced with Plotly.js": "Plotly.js로 제작",
      "Reset": "초기화",
      "Reset axes": "축 초기화",
      "Reset view": "보기 초기화",
      "Reset views": "보기 초기화",
      "Show closest data on hover": "마우스 위치의 데이터 보기",
      "Snapshot succeeded": "저장했습니다",
      "Sorry, there was a problem downloading your snapshot!": "내려받는 중 문제가 생겼습니다.",
      "Taking snapshot - this may take a few seconds": "저장하는 중입니다. 잠시 기다려 주세요.",
      "Toggle Spike Lines": "보조선 켜기/끄기",
      "Toggle show closest data on hover": "마우스 위치의 데이터 보기 켜기/끄기",
      "Turntable rotation": "턴테이블 회전",
      "Zoom": "확대",
      "Zoom in": "확대",
      "Zoom out": "축소",
      "close:": "종가:",
      "high:": "고가:",
      "low:": "저가:",
      "open:": "시가:",
      "trace": "계열"
    },
    format: {
      days: ["일요일", "월요일", "화요일", "수요일", "목요일", "금요일", "토요일"],
      shortDays: ["일", "월", "화", "수", "목", "금", "토"],
      months: ["1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월", "11월", "12월"],
      shortMonths: ["1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월", "11월", "12월"],
      date: "%Y-%m-%d",
      decimal: ".",
      thousands: ","
    }
  };

  // Korean date ticks at every zoom: days, months, years.
  var KOREAN_DATE_AXIS = {
    tickformatstops: [
      {dtickrange: [null, "M1"], value: "%Y년 %-m월 %-d일"},
      {dtickrange: ["M1", "M12"], value: "%Y년 %-m월"},
      {dtickrange: ["M12", null], value: "%Y년"}
    ],
    hoverformat: "%Y년 %-m월 %-d일"
  };

  function hasDates(traces) {
    return traces.some(function (trace) {
      return trace.x && trace.x.length && typeof trace.x[0] === "string" && DATE.test(trace.x[0]);
    });
  }

  function koreanDates(layout, traces) {
    if (!korean || !hasDates(traces)) { return layout; }
    var axis = Object.assign({}, layout.xaxis || {}, KOREAN_DATE_AXIS);
    var monthly = traces.every(function (trace) { return !trace.x || !trace.x.length || String(trace.x[0]).length === 7; });
    if (monthly) {  // monthly periods ("2026-04"): one tick per month (or per few months), never days
      var months = Math.max.apply(null, traces.map(function (trace) { return (trace.x || []).length; }));
      axis.dtick = "M" + Math.max(1, Math.ceil(months / 12));
      axis.tickformat = "%Y년 %-m월";
      axis.hoverformat = "%Y년 %-m월";
      delete axis.tickformatstops;
    }
    layout.xaxis = axis;
    return layout;
  }

  function config(extra) {
    var base = {displaylogo: false, responsive: true};
    if (korean) { base.locale = "ko"; }
    return Object.assign(base, extra || {});
  }

  // A point whose customdata is a path of the hub (e.g. a technology's page) is a link.
  function followLinks(el) {
    el.on("plotly_click", function (event) {
      var url = event.points && event.points[0] && event.points[0].customdata;
      if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") { window.location.href = url; }
    });
  }

  function plot(el, traces, layout, extra) {
    // The container's own width: without it plotly falls back to 700 px and a phone clips the chart.
    layout.width = el.clientWidth || undefined;
    window.Plotly.newPlot(el, traces, koreanDates(layout, traces), config(extra)).then(function () { followLinks(el); });
  }

  function draw() {
    if (!window.Plotly) { return; }
    if (korean) { window.Plotly.register(KOREAN); }
    // .chart: a list of traces, or a whole {data, layout} figure.
    document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
      var figure = JSON.parse(el.dataset.figure);
      var traces = Array.isArray(figure) ? figure : (figure.data || []);
      if (!traces.length) { return; }
      var layout = Array.isArray(figure) ? {margin: {t: 10, r: 10, l: 40, b: 40}, legend: {orientation: "h"}} : (figure.layout || {});
      plot(el, traces, layout, {displayModeBar: false});
    });
    document.querySelectorAll(".plotly-figure[data-figure]").forEach(function (el) {
      var figure = JSON.parse(el.dataset.figure);
      plot(el, figure.data || [], figure.layout || {}, el.dataset.config ? JSON.parse(el.dataset.config) : {});
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
