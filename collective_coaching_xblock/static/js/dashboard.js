/* The facilitator dashboard: every group at a glance, and the facilitator's actions.
 *
 * Rendered from `dashboard_data` (carried in the page, then fetched after each action).
 * Learner text only ever enters the page as text nodes, never as HTML.
 */
function CollectiveCoachingDashboard(runtime, element) {
    'use strict';

    var root = element.querySelector('.cc-dashboard') || element;
    var payload = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
    var kit = CollectiveCoachingKit(runtime, element, root, payload);
    var gettext = kit.gettext, find = kit.find, findAll = kit.findAll, el = kit.el, fill = kit.fill,
        format = kit.format, newId = kit.newId, announce = kit.announce, call = kit.call;
    var data = payload.dashboard;
    // The streamed export where the coaching app's URLs are installed; the handler otherwise.
    var exportBase = payload.export_url || runtime.handlerUrl(element, 'export_csv');
    var chartView = CollectiveCoachingChart(kit);
    var live = CollectiveCoachingLive(kit);
    var STATUS = {done: gettext('Done'), in_progress: gettext('In progress'), not_started: gettext('Not started')};

    function reload(page) {
        return call('dashboard_data', {cohort: data.cohort, page: page || data.page}).then(function(result) {
            data = result;
            render();
        });
    }
    /* Run an action, then refresh the dashboard and say what happened. */
    function act(handler, body, message) {
        return call(handler, body).then(function(result) {
            return reload().then(function() { announce(message); return result; });
        }).catch(function(error) { announce(error.message); });
    }
    function button(text, onClick, quiet) {
        var node = el('button', {type: 'button', className: 'cc-button' + (quiet ? ' cc-button--quiet' : ''), text: text});
        node.addEventListener('click', onClick);
        return node;
    }

    /* A question before an action: its title, what the action will do (``list``), then confirm (when
     * ``onConfirm`` is given) or cancel; cancelling takes the panel away, then calls ``onCancel``. */
    function confirmPanel(title, list, confirmLabel, onConfirm, onCancel) {
        var titleId = newId('confirm');
        var box = el('div', {className: 'cc-confirm', role: 'group', 'aria-labelledby': titleId}, [
            el('p', {id: titleId, text: title}), list,
            el('div', {className: 'cc-actions'}, [onConfirm ? button(confirmLabel, onConfirm) : null,
                button(gettext('Cancel'), function() {
                    if (box.parentNode) { box.parentNode.removeChild(box); }
                    if (onCancel) { onCancel(); }
                }, true)])]);
        return box;
    }
    function changeList(lines) {
        return el('ul', {className: 'cc-changes'}, lines.map(function(text) { return el('li', {text: text}); }));
    }
    function nothingChanged() { announce(gettext('Nothing changed.')); }

    /* Moderation never changes a grade silently: ask how a hide or restore would change learners'
     * progress first. A hide always asks the facilitator to confirm, saying what its author will
     * read and whether their progress and score change; a restore asks only when progress would. */
    function moderationNotes(preview) {
        var lines = preview.changes.map(function(change) {
            var gained = change.stages_done_after.filter(function(id) { return change.stages_done_before.indexOf(id) === -1; });
            var lost = change.stages_done_before.filter(function(id) { return change.stages_done_after.indexOf(id) === -1; });
            var parts = [format(gettext('{name}: score {before} → {after}.'),
                {name: change.name, before: change.score_before, after: change.score_after})];
            if (gained.length) { parts.push(format(gettext('Done now: {stages}.'), {stages: gained.map(stageTitle).join(', ')})); }
            if (lost.length) { parts.push(format(gettext('No longer done: {stages}.'), {stages: lost.map(stageTitle).join(', ')})); }
            return parts.join(' ');
        });
        if (preview.hidden) {
            var author = preview.author;
            var changed = preview.changes.some(function(change) { return change.member_id === author.id; });
            if (!changed) {
                lines.unshift(format(gettext('{name}\'s progress and score do not change: hidden work still counts for its author.'),
                    {name: author.name}));
            }
            lines.unshift(format(gettext('{name} will read that a facilitator hid it, and your reason.'), {name: author.name}));
        }
        return changeList(lines);
    }
    function moderateItem(container, body, message, after) {
        call('moderate', Object.assign({preview: true}, body)).then(function(result) {
            var preview = result.preview;
            var go = function() { act('moderate', body, message).then(after); };
            if (!preview.hidden && !preview.changes.length) { go(); return; }
            fill(container, [confirmPanel(preview.changes.length ? gettext('This changes learners\' progress:')
                : gettext('Before you confirm:'), moderationNotes(preview), gettext('Go ahead'), go, nothingChanged)]);
            container.querySelector('button').focus();
        }).catch(function(error) { announce(error.message); });
    }
    function moderationControl(item, after) {
        var box = el('div', {className: 'cc-moderation'});
        if (item.hidden) {
            box.appendChild(button(gettext('Restore'), function() {
                moderateItem(box, {action: 'restore', kind: item.kind, id: item.id}, gettext('Restored for learners.'), after);
            }, true));
            return box;
        }
        var reasonId = newId('hide-reason');
        var form = el('form', {className: 'cc-inline'}, [
            el('label', {'for': reasonId, text: gettext('Why hide it? Its author will read this.')}),
            el('input', {id: reasonId, type: 'text', maxLength: 2000, required: true}),
            el('button', {type: 'submit', className: 'cc-button', text: gettext('Hide from learners')})
        ]);
        var confirmBox = el('div', {});
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            moderateItem(confirmBox, {action: 'hide', kind: item.kind, id: item.id, reason: form.querySelector('input').value},
                gettext('Hidden from learners.'), after);
        });
        box.appendChild(form);
        box.appendChild(confirmBox);
        return box;
    }

    function stageTitle(stageId) {
        var stage = data.stages.filter(function(s) { return s.id === stageId; })[0];
        return stage ? stage.title : stageId;
    }

    // --- the parts ---------------------------------------------------------------------
    function renderToolbar() {
        var select = find('[data-role="cohort"]');
        fill(select, data.cohorts.map(function(cohort) {
            return el('option', {value: cohort.id, selected: cohort.id === data.cohort,
                text: format(gettext('{name} ({count} learners)'), {name: cohort.name, count: cohort.learners})});
        }));
        var base = exportBase;
        var join = base.indexOf('?') === -1 ? '?' : '&';
        find('[data-role="export"]').setAttribute('href', base + join + 'cohort=' + encodeURIComponent(data.cohort || ''));
        find('[data-role="export-texts"]').setAttribute('href',
            base + join + 'texts=1&cohort=' + encodeURIComponent(data.cohort || ''));
        // The export's companions with texts, one CSV each (docs/handlers.md: export_csv).
        var parts = [['reflections', gettext('Reflections')], ['responses', gettext('Responses')],
            ['themes', gettext('Theme tags')], ['plan', gettext('Plan versions')], ['one_to_one', gettext('One to one')]];
        fill(find('[data-role="export-parts"]'), [el('span', {text: gettext('Also with texts:') + ' '})].concat(
            parts.map(function(part) {
                return el('a', {className: 'cc-link', text: part[1], href: base + join + 'texts=1&part=' + part[0] +
                    '&cohort=' + encodeURIComponent(data.cohort || '')});
            })));
    }

    function renderChart() {
        chartView.render(find('[data-role="chart"]'), data);
    }

    function renderFlags() {
        if (!data.flags.length) {
            fill(find('[data-role="flags"]'), [el('p', {className: 'cc-empty', text: gettext('No flagged items.')})]);
            return;
        }
        fill(find('[data-role="flags"]'), [el('ul', {className: 'cc-flag-list'}, data.flags.map(function(flag) {
            var kindLabel = {contribution: gettext('Story or next steps'), reflection: gettext('Reflection'),
                response: gettext('Response')}[flag.kind];
            return el('li', {className: 'cc-flag-item'}, [
                el('p', {}, [el('strong', {text: kindLabel + (flag.author ? ' · ' + flag.author : '') + ' · ' +
                    format(gettext('Group {number}'), {number: flag.group})}),
                    el('span', {text: flag.hidden ? ' · ' + gettext('hidden from learners') : ''})]),
                el('blockquote', {className: 'cc-text', text: flag.text || ''}),
                el('p', {text: format(gettext('Flagged by {name}: {reason}'), {name: flag.reporter, reason: flag.reason})}),
                flag.withdrawn ? el('p', {className: 'cc-note', text: gettext('Withdrawn by its author since the report.')}) : null,
                el('div', {className: 'cc-actions'}, [
                    moderationControl({kind: flag.kind, id: flag.item_id, hidden: flag.hidden}),
                    button(gettext('Resolve flag'), function() {
                        act('moderate', {action: 'resolve', flag_id: flag.id}, gettext('Flag resolved.'));
                    }, true)
                ])
            ]);
        }))]);
    }

    function stageSelect(id) {
        return el('select', {id: id}, data.stages.map(function(stage) {
            return el('option', {value: stage.id, text: stage.title});
        }));
    }

    /* Moving or merging says first what it will do (the size after, a group left empty, who gains
     * stories to witness); the facilitator confirms or cancels. */
    function guardedRegroup(container, handler, body, message) {
        call(handler, Object.assign({preview: true}, body)).then(function(result) {
            var preview = result.preview;
            var notes = [format(gettext('Members of the group after it: {count}.'), {count: preview.size_after})];
            if (preview.above_size) {
                notes.push(format(gettext('That is above the unit\'s group size of {size}.'), {size: preview.unit_size}));
            }
            if (preview.left_empty) { notes.push(gettext('The group they leave will be empty.')); }
            preview.new_stories.forEach(function(gain) {
                notes.push(format(gettext('{name} will have new stories to witness: {count}.'),
                    {name: gain.name, count: gain.stories}));
            });
            var box = confirmPanel(gettext('Before you confirm:'), changeList(notes), gettext('Confirm'),
                function() { act(handler, body, message); }, nothingChanged);
            var old = find('.cc-confirm', container);
            if (old) { old.parentNode.removeChild(old); }
            container.appendChild(box);
            find('button', box).focus();
        }).catch(function(error) { announce(error.message); });
    }

    function memberActions(group, member) {
        var moveId = newId('move'), scoreId = newId('score'), reasonId = newId('reason');
        var targets = data.groups.filter(function(g) { return g.id !== group.id; });
        var move = el('form', {className: 'cc-inline'}, [
            el('label', {'for': moveId, text: gettext('Move to')}),
            el('select', {id: moveId}, targets.map(function(g) { return el('option', {value: g.id, text: g.name}); })),
            el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Move')})
        ]);
        move.addEventListener('submit', function(event) {
            event.preventDefault();
            guardedRegroup(move, 'move_member', {member_id: member.id, group_id: Number(find('select', move).value)},
                format(gettext('{name} moved.'), {name: member.name}));
        });
        var override = el('form', {className: 'cc-inline'}, [
            el('label', {'for': scoreId, text: gettext('Score')}),
            el('input', {id: scoreId, type: 'number', min: 0, max: member.score.possible, step: 1, required: true,
                value: member.score.earned}),
            el('label', {'for': reasonId, text: gettext('Reason')}),
            el('input', {id: reasonId, type: 'text', maxlength: 2000, required: true}),
            el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Override score')})
        ]);
        override.addEventListener('submit', function(event) {
            event.preventDefault();
            act('override_score', {member_id: member.id, score: Number(find('#' + scoreId, override).value),
                reason: find('#' + reasonId, override).value},
                format(gettext('Score of {name} overridden.'), {name: member.name}));
        });
        return el('details', {className: 'cc-member-actions'}, [
            el('summary', {text: format(gettext('Actions for {name}'), {name: member.name})}),
            targets.length ? move : null, override]);
    }

    function groupSection(group) {
        var head = [el('th', {scope: 'col', text: gettext('Learner')})].concat(data.stages.map(function(stage) {
            return el('th', {scope: 'col', text: stage.title});
        })).concat([el('th', {scope: 'col', text: gettext('Last activity')}),
            el('th', {scope: 'col', text: gettext('Reflections given / received')}),
            el('th', {scope: 'col', text: gettext('Score')})]);
        var rows = group.members.map(function(member) {
            var score = member.score.earned + ' / ' + member.score.possible +
                (member.score.overridden ? ' (' + gettext('override') + ')' : '');
            return el('tr', {className: member.stalled ? 'cc-stalled' : ''}, [
                el('th', {scope: 'row'}, [el('span', {text: member.name}),
                    member.stalled ? el('span', {className: 'cc-tag', text: gettext('Stalled')}) : null,
                    member.waiting ? el('span', {className: 'cc-tag cc-tag--waiting', text: gettext('Waiting for peers')}) : null,
                    memberActions(group, member)])
            ].concat(data.stages.map(function(stage) {
                var status = member.stages[stage.id];
                return el('td', {className: 'cc-status cc-status--' + status, text: STATUS[status]});
            })).concat([
                el('td', {text: kit.when(member.last_activity)}),
                el('td', {text: member.reflections_given + ' / ' + member.reflections_received}),
                el('td', {text: score})
            ]));
        });
        var openId = newId('open');
        var openForm = el('form', {className: 'cc-inline'}, [
            el('label', {'for': openId, text: gettext('Open stage for this group')}), stageSelect(openId),
            el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Open it')})
        ]);
        openForm.addEventListener('submit', function(event) {
            event.preventDefault();
            var stageId = find('select', openForm).value;
            act('open_stage', {stage_id: stageId, group_id: group.id},
                format(gettext('{stage} is open for {group}.'), {stage: stageTitle(stageId), group: group.name}));
        });
        var mergeId = newId('merge');
        var others = data.groups.filter(function(g) { return g.id !== group.id; });
        var mergeForm = el('form', {className: 'cc-inline'}, [
            el('label', {'for': mergeId, text: gettext('Merge into')}),
            el('select', {id: mergeId}, others.map(function(g) { return el('option', {value: g.id, text: g.name}); })),
            el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Merge')})
        ]);
        mergeForm.addEventListener('submit', function(event) {
            event.preventDefault();
            guardedRegroup(mergeForm, 'merge_groups', {group_id: group.id,
                into_group_id: Number(find('select', mergeForm).value)}, gettext('Groups merged.'));
        });
        var splitFieldset = el('fieldset', {className: 'cc-inline'}, [el('legend', {text: gettext('Split: new group with')})]
            .concat(group.members.map(function(member) {
                var id = newId('split');
                return el('span', {className: 'cc-check'}, [el('input', {type: 'checkbox', id: id, value: member.id}),
                    el('label', {'for': id, text: member.name})]);
            })));
        var splitForm = el('form', {}, [splitFieldset,
            el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Split')})]);
        splitForm.addEventListener('submit', function(event) {
            event.preventDefault();
            var ids = Array.prototype.map.call(splitForm.querySelectorAll('input:checked'), function(box) { return box.value; });
            act('split_group', {group_id: group.id, member_ids: ids}, gettext('A new group is formed.'));
        });
        var title = group.name + (group.stalled ? ' · ' + gettext('stalled') : '');
        var selectId = newId('select');
        var select = el('input', {type: 'checkbox', id: selectId, checked: view.selected[group.id] ? true : null});
        select.addEventListener('change', function() {
            view.selected[group.id] = select.checked;
            updateSelection();
        });
        return el('section', {className: 'cc-group-panel' + (group.stalled ? ' cc-stalled' : ''), 'aria-label': group.name}, [
            el('div', {className: 'cc-check cc-select-group'}, [select,
                el('label', {'for': selectId, text: format(gettext('Select {group}'), {group: group.name})})]),
            el('h4', {text: title}),
            el('div', {className: 'cc-table-wrap', tabindex: 0, role: 'region', 'aria-label': group.name}, [
                el('table', {className: 'cc-table'}, [
                    el('caption', {className: 'cc-visually-hidden', text: format(gettext('Progress of {group}'), {group: group.name})}),
                    el('thead', {}, [el('tr', {}, head)]), el('tbody', {}, rows)])]),
            el('div', {className: 'cc-actions'}, [button(gettext('Read this group'), function() { readGroup(group); }, true),
                button(gettext('Live session'), function(event) { live.open({group_id: group.id}, event.currentTarget); }, true)]),
            el('details', {}, [el('summary', {text: gettext('Pace and regroup')}), openForm,
                others.length ? mergeForm : null, group.members.length > 1 ? splitForm : null])
        ]);
    }

    // --- many groups: filter, sort, select, act on the selection ---------------------------
    var view = {filter: 'all', sort: 'number', selected: {}};
    function furthestStage(group) {
        var furthest = -1;
        group.members.forEach(function(member) {
            data.stages.forEach(function(stage, index) {
                if (member.stages[stage.id] === 'done' && index > furthest) { furthest = index; }
            });
        });
        return furthest;
    }
    function progressOf(group) {
        var done = 0;
        group.members.forEach(function(member) {
            data.stages.forEach(function(stage) { if (member.stages[stage.id] === 'done') { done += 1; } });
        });
        return group.members.length ? done / group.members.length : 0;
    }
    function lastActivity(group) {
        return group.members.reduce(function(latest, m) { return m.last_activity > latest ? m.last_activity : latest; }, '');
    }
    function shownGroups() {
        var flagged = {};
        data.flags.forEach(function(flag) { flagged[flag.group_id] = true; });
        var groups = data.groups.filter(function(group) {
            if (view.filter === 'stalled') { return group.members.some(function(m) { return m.stalled; }); }
            if (view.filter === 'waiting') { return group.members.some(function(m) { return m.waiting; }); }
            if (view.filter === 'flagged') { return !!flagged[group.id]; }
            if (view.filter.indexOf('stage:') === 0) { return furthestStage(group) === Number(view.filter.slice(6)); }
            return true;
        });
        var keys = {
            number: function(g) { return g.number; },
            behind: function(g) { return progressOf(g); },
            quiet: function(g) { return lastActivity(g); }
        };
        var key = keys[view.sort] || keys.number;
        return groups.slice().sort(function(a, b) {
            var x = key(a), y = key(b);
            return x < y ? -1 : x > y ? 1 : a.number - b.number;
        });
    }
    var selection = null;  // the count and the bulk buttons, updated as groups are ticked
    function updateSelection() {
        var count = selectedIds().length;
        selection.count.textContent = format(gettext('Selected groups: {count}'), {count: count});
        selection.buttons.forEach(function(node) { node.disabled = !count; });
    }
    function selectedIds() {
        return data.groups.filter(function(g) { return view.selected[g.id]; }).map(function(g) { return g.id; });
    }
    function renderGroupTools() {
        var filterId = newId('filter'), sortId = newId('sort'), stageId = newId('bulk-stage'), messageId = newId('bulk-message');
        var filter = el('select', {id: filterId}, [
            ['all', gettext('All groups')], ['stalled', gettext('With a stalled learner')],
            ['waiting', gettext('With a learner waiting for peers')], ['flagged', gettext('With an open flag')]
        ].concat(data.stages.map(function(stage, index) {
            return ['stage:' + index, format(gettext('Furthest stage done: {stage}'), {stage: stage.title})];
        })).map(function(option) {
            return el('option', {value: option[0], text: option[1], selected: option[0] === view.filter ? true : null});
        }));
        var sort = el('select', {id: sortId}, [
            ['number', gettext('Group number')], ['behind', gettext('Furthest behind first')],
            ['quiet', gettext('Quiet the longest first')]
        ].map(function(option) {
            return el('option', {value: option[0], text: option[1], selected: option[0] === view.sort ? true : null});
        }));
        // Only the list is drawn again: the tools (and what is typed in them) stay.
        filter.addEventListener('change', function() {
            view.filter = filter.value;
            drawGroupList();
            announce(format(gettext('Groups shown: {count}'), {count: shownGroups().length}));
        });
        sort.addEventListener('change', function() { view.sort = sort.value; drawGroupList(); });
        var stageButton = el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Open it')});
        var bulkStage = el('form', {className: 'cc-inline'}, [
            el('label', {'for': stageId, text: gettext('Open a stage for the selected groups')}), stageSelect(stageId),
            stageButton]);
        bulkStage.addEventListener('submit', function(event) {
            event.preventDefault();
            var stage = find('select', bulkStage).value;
            act('open_stage', {stage_id: stage, group_ids: selectedIds()}, format(
                gettext('{stage} is open for the selected groups.'), {stage: stageTitle(stage)}));
        });
        var messageButton = el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Send to each')});
        var bulkMessage = el('form', {className: 'cc-form'}, [
            el('label', {'for': messageId, className: 'cc-label', text: gettext(
                'Write privately to every learner of the selected groups (each reads only their own copy)')}),
            el('textarea', {id: messageId, rows: 2, maxlength: 5000, required: true}),
            messageButton]);
        bulkMessage.addEventListener('submit', function(event) {
            event.preventDefault();
            var text = find('textarea', bulkMessage).value;
            var people = [];
            data.groups.forEach(function(group) {
                if (view.selected[group.id]) { group.members.forEach(function(m) { people.push(m.id); }); }
            });
            people.reduce(function(done, memberId) {
                return done.then(function() { return call('write_to_learner', {member_id: memberId, text: text}); });
            }, Promise.resolve()).then(function() {
                find('textarea', bulkMessage).value = '';
                announce(format(gettext('Sent to {count} learners, each privately.'), {count: people.length}));
            }).catch(function(error) { announce(error.message); });
        });
        var regroupButton = button(gettext('Regroup the learners left alone'), function() {
            var body = {group_ids: selectedIds()};
            var box = find('[data-role="bulk-regroup"]');
            call('regroup_selected', Object.assign({preview: true}, body)).then(function(result) {
                var lines = result.preview.merges.map(function(m) {
                    return format(gettext('Group {number} (members: {count}) joins group {into}.'),
                        {number: m.number, count: m.members, into: m.into_number});
                }).concat(result.preview.left.map(function(g) {
                    return format(gettext('Group {number}: no group has room for its members.'), {number: g.number});
                }));
                if (!lines.length) { lines = [gettext('None of the selected groups is below three.')]; }
                var confirm = result.preview.merges.length
                    ? function() { act('regroup_selected', body, gettext('Groups merged.')); } : null;
                fill(box, [confirmPanel(gettext('Before you confirm:'), changeList(lines), gettext('Confirm'), confirm,
                    nothingChanged)]);
                find('button', box).focus();
            }).catch(function(error) { announce(error.message); });
        }, true);
        selection = {count: el('p', {className: 'cc-hint'}), buttons: [stageButton, messageButton, regroupButton]};
        // Folded on a first look; it stays open while the facilitator uses it (the dashboard redraws).
        var bulk = el('details', {className: 'cc-bulk', open: view.bulkOpen ? true : null},
            [el('summary', {text: gettext('Act on the selected groups')}), bulkStage,
                el('div', {className: 'cc-actions'}, [regroupButton]), el('div', {'data-role': 'bulk-regroup'}),
                bulkMessage]);
        bulk.addEventListener('toggle', function() { view.bulkOpen = bulk.open; });
        fill(find('[data-role="group-tools"]'), [
            el('div', {className: 'cc-inline'}, [el('label', {'for': filterId, text: gettext('Show')}), filter,
                el('label', {'for': sortId, text: gettext('Sort by')}), sort]),
            selection.count,
            bulk]);
        updateSelection();
    }

    function renderGroups() {
        renderGroupTools();
        drawGroupList();
    }

    function drawGroupList() {
        var groups = shownGroups();
        fill(find('[data-role="groups"]'), groups.length ? groups.map(groupSection)
            : [el('p', {className: 'cc-empty', text: data.groups.length ? gettext('No group matches.')
                : gettext('No learner of this cohort has opened the unit yet.')})]);
        var pages = [];
        for (var page = 1; page <= data.pages && data.pages > 1; page += 1) {
            (function(number) {
                var link = button(String(number), function() { reload(number); }, number !== data.page);
                if (number === data.page) { link.setAttribute('aria-current', 'page'); }
                pages.push(link);
            })(page);
        }
        fill(find('[data-role="pages"]'), pages);
    }

    function readGroup(group) {
        call('group_detail', {group_id: group.id}).then(function(detail) {
            var panel = find('[data-role="detail"]');
            find('[data-role="detail-heading"]').textContent = format(gettext('Reading {group} ({cohort})'),
                {group: detail.group.name, cohort: detail.group.cohort});
            var items = detail.contributions.map(function(c) {
                var visibility = {group: gettext('shared with the group'), facilitator: gettext('for the facilitator'),
                    private: gettext('private')}[c.sharing];
                var label = stageTitle(c.stage_id) + ' · ' + c.author + ' · ' + visibility +
                    (c.state !== 'active' ? ' · ' + gettext('withdrawn') : '') + (c.hidden ? ' · ' + gettext('hidden') : '');
                var reflections = detail.reflections.filter(function(r) { return r.contribution_id === c.id; });
                return el('article', {className: 'cc-story'}, [
                    el('h4', {text: label}),
                    c.text === null ? el('p', {className: 'cc-empty', text: c.state !== 'active'
                        ? gettext('A withdrawn contribution exists.') : gettext('A private contribution exists.')})
                        : el('p', {className: 'cc-text', text: c.text}),
                    c.hidden && c.hidden_reason ? el('p', {className: 'cc-note',
                        text: format(gettext('Hidden: {reason}'), {reason: c.hidden_reason})}) : null,
                    c.text === null ? null : moderationControl({kind: 'contribution', id: c.id, hidden: c.hidden},
                        function() { readGroup(group); })
                ].concat(reflections.map(function(r) {
                    var again = function() { readGroup(group); };
                    // Each answer with the question it answers; every item can be hidden or restored here.
                    var answers = r.answers === null ? null : el('dl', {className: 'cc-answers'},
                        (detail.prompts || []).concat(Object.keys(r.answers).filter(function(key) {
                            return !(detail.prompts || []).some(function(p) { return p.id === key; });
                        }).map(function(key) { return {id: key, text: key}; })).reduce(function(parts, prompt) {
                            if (r.answers[prompt.id]) {
                                parts.push(el('dt', {text: prompt.text}));
                                parts.push(el('dd', {className: 'cc-text', text: r.answers[prompt.id]}));
                            }
                            return parts;
                        }, []));
                    return el('div', {className: 'cc-witness'}, [
                        el('h5', {text: format(gettext('Reflection from {name}'), {name: r.author}) +
                            (r.hidden ? ' · ' + gettext('hidden') : '')}),
                        answers || el('p', {className: 'cc-empty', text: gettext('A reflection exists; its story is no longer shared.')}),
                        answers ? moderationControl({kind: 'reflection', id: r.id, hidden: r.hidden}, again) : null,
                        r.response ? el('h5', {text: format(gettext('{name} responded'), {name: c.author}) +
                            (r.response_hidden ? ' · ' + gettext('hidden') : '')}) : null,
                        r.response ? el('p', {className: 'cc-response cc-text', text: r.response}) : null,
                        r.response ? moderationControl({kind: 'response', id: r.id, hidden: r.response_hidden}, again) : null
                    ]);
                })));
            });
            var themes = el('table', {className: 'cc-table'}, [
                el('caption', {text: gettext('Theme map')}),
                el('thead', {}, [el('tr', {}, [el('th', {scope: 'col', text: gettext('Theme')}),
                    el('th', {scope: 'col', text: gettext('Members')}), el('th', {scope: 'col', text: gettext('Structural')})])]),
                el('tbody', {}, detail.themes.map(function(t) {
                    return el('tr', {}, [el('th', {scope: 'row', text: t.label || t.theme}), el('td', {text: String(t.members)}),
                        el('td', {text: String(t.structural)})]);
                }))]);
            var plan = [el('h4', {text: gettext('Collective plan')}),
                el('p', {className: 'cc-text', text: detail.group_plan.text || gettext('No plan yet.')})];
            if (detail.group_plan.history.length) {
                plan.push(el('ul', {className: 'cc-history'}, detail.group_plan.history.map(function(h) {
                    return el('li', {text: format(gettext('Version {version} by {name}, {when}'),
                        {version: h.version, name: h.author, when: kit.when(h.at)})});
                })));
            }
            var threads = el('section', {className: 'cc-one-to-one', 'aria-label': gettext('One to one')},
                [el('h4', {text: gettext('One to one')}),
                 el('p', {className: 'cc-hint', text: gettext('Only the learner and the facilitators of their cohort read ' +
                     'these messages; their group never does.')})].concat((detail.members || []).map(function(person) {
                    var fieldId = newId('private');
                    var form = el('form', {className: 'cc-form'}, [
                        el('label', {'for': fieldId, className: 'cc-label',
                            text: format(gettext('Write to {name} privately'), {name: person.name})}),
                        el('textarea', {id: fieldId, rows: 3, maxlength: 5000, required: true}),
                        el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Send')})]);
                    form.addEventListener('submit', function(event) {
                        event.preventDefault();
                        call('write_to_learner', {member_id: person.id, text: find('textarea', form).value}).then(function() {
                            announce(format(gettext('Sent to {name}. Only they and their facilitators read it.'),
                                {name: person.name}));
                            readGroup(group);
                        }).catch(function(error) { announce(error.message); });
                    });
                    return el('details', {className: 'cc-thread-of', open: person.one_to_one.length ? true : null}, [
                        el('summary', {text: person.one_to_one.length
                            ? format(gettext('{name}: messages: {count}'), {name: person.name, count: person.one_to_one.length})
                            : person.name}),
                        el('ol', {className: 'cc-thread'}, person.one_to_one.map(function(message) {
                            return el('li', {className: 'cc-message cc-message--' + message.from}, [
                                el('strong', {text: message.from === 'learner' ? person.name : (message.name || gettext('A facilitator'))}),
                                el('span', {className: 'cc-when', text: ' · ' + kit.when(message.at)}),
                                el('p', {className: 'cc-text', text: message.text})]);
                        })),
                        form]);
                })));
            fill(find('[data-role="detail-body"]'), items.concat([themes]).concat(plan).concat([threads])
                .concat([button(gettext('Close'), function() { panel.hidden = true; }, true)]));
            panel.hidden = false;
            find('[data-role="detail-heading"]').focus();
        }).catch(function(error) { announce(error.message); });
    }

    function renderSettings() {
        var body = find('[data-role="settings-body"]');
        var children = [];
        var allId = newId('all');
        var openAll = el('form', {className: 'cc-inline'}, [
            el('label', {'for': allId, text: gettext('Open a stage for every group of this cohort')}), stageSelect(allId),
            el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Open for all')})]);
        openAll.addEventListener('submit', function(event) {
            event.preventDefault();
            var stageId = find('select', openAll).value;
            act('open_stage', {stage_id: stageId, all: true, cohort: data.cohort},
                format(gettext('{stage} is open for every group.'), {stage: stageTitle(stageId)}));
        });
        children.push(openAll);
        if (!data.scoped) {
            var stageId = newId('dates'), opensId = newId('opens'), closesId = newId('closes');
            var dates = el('form', {className: 'cc-inline'}, [
                el('label', {'for': stageId, text: gettext('Stage')}), stageSelect(stageId),
                el('label', {'for': opensId, text: gettext('Opens')}), el('input', {id: opensId, type: 'datetime-local'}),
                el('label', {'for': closesId, text: gettext('Closes')}), el('input', {id: closesId, type: 'datetime-local'}),
                el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Set dates')})]);
            dates.addEventListener('submit', function(event) {
                event.preventDefault();
                function iso(id) {
                    var value = find('#' + id, dates).value;
                    return value ? new Date(value).toISOString() : null;
                }
                act('set_stage_dates', {stage_id: find('#' + stageId, dates).value, opens: iso(opensId), closes: iso(closesId)},
                    gettext('Stage dates saved.'));
            });
            var userId = newId('user');
            var assign = el('form', {className: 'cc-inline'}, [
                el('label', {'for': userId, text: gettext('Facilitator username')}),
                el('input', {id: userId, type: 'text', required: true, maxlength: 150}),
                el('fieldset', {className: 'cc-inline'}, [el('legend', {text: gettext('Limit to cohorts (none: all)')})]
                    .concat(data.cohorts.map(function(cohort) {
                        var id = newId('scope');
                        return el('span', {className: 'cc-check'}, [el('input', {type: 'checkbox', id: id, value: cohort.id}),
                            el('label', {'for': id, text: cohort.name})]);
                    }))),
                el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Assign')})]);
            assign.addEventListener('submit', function(event) {
                event.preventDefault();
                var cohorts = Array.prototype.map.call(assign.querySelectorAll('input[type=checkbox]:checked'),
                    function(box) { return box.value; });
                act('assign_facilitator', {username: find('#' + userId, assign).value, cohorts: cohorts},
                    gettext('Facilitator cohorts saved.'));
            });
            children.push(dates, assign);
        }
        fill(body, children);
    }

    /* Groups below three: whether they merge on their own, what was merged, and what still waits. */
    function renderSmallGroups() {
        var note = data.regrouping, children = [];
        if (!note.days) {
            children.push(el('p', {className: 'cc-note', text: gettext(
                'Groups below three are not merged automatically in this unit: its author set no delay, or its ' +
                'groups are the course\'s teams.')}));
        } else if (data.scoped) {
            children.push(el('p', {className: 'cc-note', text: format(note.enabled
                ? gettext('A group below three is merged into another group of its cohort after {days} days without a newcomer.')
                : gettext('Automatic merges of groups below three are off for this unit.'), {days: note.days})}));
        } else {
            var boxId = newId('regroup');
            var box = el('input', {type: 'checkbox', id: boxId, checked: note.enabled});
            box.addEventListener('change', function() {
                act('set_auto_regroup', {enabled: box.checked}, box.checked
                    ? gettext('Saved: groups below three will be merged automatically.')
                    : gettext('Saved: no group will be merged automatically.'));
            });
            children.push(el('div', {className: 'cc-check'}, [box, el('label', {'for': boxId, text: format(gettext(
                'Merge a group below three into another group of its cohort after {days} days without a newcomer ' +
                '(never above the group size; everyone keeps their work)'), {days: note.days})})]));
        }
        if (note.merges.length) {
            children.push(el('ul', {className: 'cc-merges', 'aria-label': gettext('Automatic merges')},
                note.merges.map(function(merge) {
                    return el('li', {text: format(gettext('{when}: group {from} was merged into group {into} (learners moved: {count}).'),
                        {when: kit.when(merge.at), from: merge.from_number, count: merge.members, into: merge.into_number})});
                })));
        }
        note.waiting.forEach(function(group) {
            var why = {
                arranged: gettext('a facilitator formed or changed it by hand, so it is left to you.'),
                off: gettext('automatic merges are off.'),
                next_run: gettext('it will be merged into another group at the next automatic run.'),
                no_room: gettext('no group of this cohort has room for its members within the group size: move them by hand.')
            }[group.reason];
            children.push(el('p', {className: 'cc-waiting', text: format(
                gettext('Group {number} (members: {count}) has waited for newcomers since {since}; {why}'),
                {number: group.number, count: group.members, since: kit.when(group.since), why: why})}));
        });
        fill(find('[data-role="small-groups"]'), children);
    }

    /* What needs attention first: each line names its group, with the action that resolves it. */
    var triageAll = find('[data-role="triage-all"]');
    function renderTriage() {
        var region = find('[data-role="triage"]');
        call('triage', {cohort: triageAll.checked ? 'all' : data.cohort}).then(function(list) {
            digestBox.checked = !!list.digest;
            var sections = [];
            function block(title, lines, line) {
                if (!lines || !lines.length) { return; }
                sections.push(el('div', {className: 'cc-triage-block'}, [
                    el('h4', {text: format(title, {count: lines.length})}),
                    el('ul', {className: 'cc-triage-list'}, lines.map(line))]));
            }
            function where(item) { return format(gettext('group {group}, {cohort}'), {group: item.group, cohort: item.cohort}); }
            function readButton(groupId) {
                return button(gettext('Read the group'), function() { readGroup({id: groupId}); }, true);
            }
            var kinds = {contribution: gettext('a story or next steps'), reflection: gettext('a reflection'),
                response: gettext('a response')};
            block(gettext('Open flags: {count}'), list.flags, function(flag) {
                return el('li', {}, [el('span', {text: format(gettext('On {item}, in {where}.'), {item: kinds[flag.kind],
                    where: where(flag)})}), button(gettext('Review the flags'), function() {
                        var flags = find('[data-role="flags"]');
                        flags.setAttribute('tabindex', '-1');
                        flags.focus();
                        flags.scrollIntoView({block: 'start'});
                    }, true), readButton(flag.group_id)]);
            });
            block(gettext('Waiting for peers: {count}'), list.waiting, function(person) {
                return el('li', {}, [el('span', {text: format(gettext('{name} ({where}) has done their part and waits for their group.'),
                    {name: person.name, where: where(person)})}), readButton(person.group_id)]);
            });
            block(gettext('Stalled: {count}'), list.stalled, function(person) {
                return el('li', {}, [el('span', {text: format(gettext('{name} ({where}) could go on and has not since {when}.'),
                    {name: person.name, where: where(person), when: kit.when(person.last_activity)})}),
                    readButton(person.group_id)]);
            });
            block(gettext('Answered you one to one: {count}'), list.answered, function(person) {
                return el('li', {}, [el('span', {text: format(gettext('{name} ({where}) answered your private message.'),
                    {name: person.name, where: where(person)})}), readButton(person.group_id)]);
            });
            block(gettext('Groups below three: {count}'), list.small_groups, function(group) {
                var room = data.groups.filter(function(g) {
                    return g.id !== group.group_id && g.members.length + group.members <= 8;
                });
                var merge = null;
                if (room.length && !triageAll.checked) {
                    var selectId = newId('into');
                    merge = el('form', {className: 'cc-inline'}, [
                        el('label', {'for': selectId, text: gettext('Merge into')}),
                        el('select', {id: selectId}, room.map(function(g) { return el('option', {value: g.id, text: g.name}); })),
                        el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Merge')})]);
                    merge.addEventListener('submit', function(event) {
                        event.preventDefault();
                        guardedRegroup(merge, 'merge_groups', {group_id: group.group_id,
                            into_group_id: Number(find('select', merge).value)}, gettext('Groups merged.'));
                    });
                }
                return el('li', {}, [el('span', {text: format(gettext('Group {group} ({cohort}) has {count} of at least 3 members.'),
                    {group: group.group, cohort: group.cohort, count: group.members})}), readButton(group.group_id), merge]);
            });
            if (list.never_opened && list.never_opened.length) {
                var usernames = list.never_opened.map(function(p) { return p.username; }).join(', ');
                sections.push(el('div', {className: 'cc-triage-block'}, [
                    el('h4', {text: format(gettext('Never opened the unit: {count}'), {count: list.never_opened.length})}),
                    el('p', {text: list.never_opened.map(function(p) {
                        return format(gettext('{name} ({username}, {cohort})'), {name: p.name, username: p.username, cohort: p.cohort});
                    }).join('; ')}),
                    button(gettext('Copy their usernames'), function() {
                        navigator.clipboard.writeText(usernames).then(function() {
                            announce(gettext('Usernames copied.'));
                        }, function() { announce(usernames); });
                    }, true)]));
            }
            fill(region, sections.length ? sections : [el('p', {className: 'cc-empty', text: gettext('Nothing needs your attention.')})]);
        }).catch(function(error) { announce(error.message); });
    }
    triageAll.addEventListener('change', renderTriage);
    var digestBox = find('[data-role="digest"]');
    digestBox.addEventListener('change', function() {
        call('set_facilitator_digest', {email: digestBox.checked}).then(function(result) {
            announce(result.digest ? gettext('Saved: you will get a daily digest when something is new.')
                : gettext('Saved: you will get no digest by email.'));
        }).catch(function(error) { announce(error.message); });
    });

    /* The author's notes per stage, folded: one click opens a stage's. */
    function renderGuide() {
        var stages = data.stages.filter(function(stage) { return stage.notes; });
        find('[data-role="guide-section"]').hidden = !stages.length;
        fill(find('[data-role="guide"]'), stages.map(function(stage) {
            return el('details', {className: 'cc-guide'}, [el('summary', {text: stage.title}),
                el('p', {className: 'cc-text', text: stage.notes})]);
        }));
    }

    /* Each check-in statement before and after, for the cohort and for all the facilitator's cohorts:
     * the means as bars on the 1-5 scale (their text says the same), the counts in a table. */
    function renderOutcomes() {
        var outcomes = data.outcomes;
        find('[data-role="outcomes-section"]').hidden = !outcomes;
        if (!outcomes) { return; }
        var ANSWER = {'1': '1', '2': '2', '3': '3', '4': '4', '5': '5', prefer_not: gettext('Prefer not to say')};
        function shown(value) { return value === null ? '–' : kit.number(value); }
        function bar(label, value) {  // a mean on the scale of 1 to 5
            return chartView.barRow(label, value === null ? 0 : 20 * value, shown(value));
        }
        function block(title, figures) {
            return el('div', {className: 'cc-outcomes'}, [el('h4', {text: title})].concat(figures.map(function(f, i) {
                var statement = outcomes.items[i].text;
                if (!f.shown) {
                    return el('div', {className: 'cc-outcome'}, [el('p', {className: 'cc-outcome-item', text: statement}),
                        el('p', {className: 'cc-hint', text: format(gettext('Answered both times: {count}. Figures show from {threshold}.'),
                            {count: f.paired, threshold: outcomes.threshold})})]);
                }
                var change = f.mean_change === null ? '–' : (f.mean_change > 0 ? '+' : '') + kit.number(f.mean_change);
                return el('div', {className: 'cc-outcome'}, [
                    el('p', {className: 'cc-outcome-item', text: statement}),
                    el('p', {text: format(gettext('Mean before {before}, after {after}: change {change} (answered both times: {count}; with a number both times: {numbers}).'),
                        {before: shown(f.mean_before), after: shown(f.mean_after),
                            change: change, count: f.paired, numbers: f.compared})}),
                    el('ul', {className: 'cc-bars'}, [bar(gettext('Before'), f.mean_before), bar(gettext('After'), f.mean_after)]),
                    el('details', {}, [el('summary', {text: gettext('Answers as a table')}), el('table', {className: 'cc-table'}, [
                        el('caption', {className: 'cc-visually-hidden', text: statement}),
                        el('thead', {}, [el('tr', {}, [el('th', {scope: 'col', text: gettext('Answer')}),
                            el('th', {scope: 'col', text: gettext('Before')}), el('th', {scope: 'col', text: gettext('After')})])]),
                        el('tbody', {}, Object.keys(ANSWER).map(function(key) {
                            return el('tr', {}, [el('th', {scope: 'row', text: ANSWER[key]}),
                                el('td', {text: String(f.before[key] || 0)}), el('td', {text: String(f.after[key] || 0)})]);
                        }))])])]);
            })));
        }
        fill(find('[data-role="outcomes"]'), [
            el('p', {className: 'cc-hint', text: format(gettext('From 1 (strongly disagree) to 5 (strongly agree), over the ' +
                'learners who answered a statement both times; shown once {threshold} have. A small group cannot show ' +
                'change without showing people, and a change in a few answers may be chance: read it with the group, ' +
                'not as proof of what the unit did.'), {threshold: outcomes.threshold})}),
            block(gettext('This cohort'), outcomes.cohort),
            block(gettext('All my cohorts'), outcomes.unit)]);
    }

    function render() {
        renderTriage();
        renderGuide();
        renderOutcomes();
        renderToolbar();
        renderChart();
        renderFlags();
        renderSmallGroups();
        renderGroups();
        renderSettings();
    }

    find('[data-role="cohort"]').addEventListener('change', function(event) {
        call('dashboard_data', {cohort: event.target.value}).then(function(result) {
            data = result;
            render();
            announce(format(gettext('Showing {count} learners.'), {count: data.learners}));
        }).catch(function(error) { announce(error.message); });
    });

    find('[data-role="live-cohort"]').addEventListener('click', function(event) {
        live.open({cohort: data.cohort}, event.currentTarget);
    });

    render();
}
