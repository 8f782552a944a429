/* The facilitator's chart: how many learners of the cohort have done each stage.
 *
 * `CollectiveCoachingChart(kit).render(region, data)` draws one row per stage (its name, a bar,
 * "3 of 12") in HTML, so that it reflows and stays legible on a phone, and the same figures as
 * a table. The bars are decoration: the row's text says everything they show.
 */
function CollectiveCoachingChart(kit) {
    'use strict';

    var gettext = kit.gettext, el = kit.el, fill = kit.fill, format = kit.format, newId = kit.newId;

    /* One row of a bar chart: its label, a bar filled to `percent` (decoration), and `text`, which
     * says all the bar shows. */
    function barRow(label, percent, text) {
        var fillBar = el('span', {className: 'cc-bar-fill'});
        fillBar.style.width = percent + '%';
        return el('li', {className: 'cc-bar-row'}, [
            el('span', {className: 'cc-bar-label', text: label}),
            el('span', {className: 'cc-bar', 'aria-hidden': 'true'}, [fillBar]),
            el('span', {className: 'cc-bar-count', text: text})
        ]);
    }

    function render(region, data) {
        var total = Math.max(data.learners, 0);
        var titleId = newId('chart-title');
        var rows = data.chart.map(function(bar) {
            return barRow(bar.title, total ? Math.round(100 * bar.done / total) : 0,
                format(gettext('{count} of {total}'), {count: bar.done, total: total}));
        });
        var chart = el('figure', {className: 'cc-chart', 'aria-labelledby': titleId}, [
            el('figcaption', {id: titleId, text: gettext('Learners who have done each stage')}),
            el('ul', {className: 'cc-bars'}, rows)
        ]);
        var table = el('table', {className: 'cc-table'}, [
            el('caption', {text: format(gettext('Learners who have done each stage, of {total}'), {total: total})}),
            el('thead', {}, [el('tr', {}, [el('th', {scope: 'col', text: gettext('Stage')}),
                el('th', {scope: 'col', text: gettext('Done')})])]),
            el('tbody', {}, data.chart.map(function(bar) {
                return el('tr', {}, [el('th', {scope: 'row', text: bar.title}), el('td', {text: String(bar.done)})]);
            }))
        ]);
        fill(region, [chart, el('details', {}, [el('summary', {text: gettext('Show the chart as a table')}), table])]);
    }

    return {render: render, barRow: barRow};
}
