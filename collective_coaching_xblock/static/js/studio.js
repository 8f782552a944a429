/* Studio's editor for a collective coaching unit: settings, template (with its evidence) and stages.
 *
 * Saves through the block's `save_settings` handler and tells Studio through the runtime's
 * notify API ('save' start and end, 'error', 'cancel'), as other blocks' editors do.
 */
function CollectiveCoachingStudio(runtime, element) {
    'use strict';

    var root = element.querySelector('.cc-studio') || element;
    var payload = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
    var kit = CollectiveCoachingKit(runtime, element, root, payload);
    var gettext = kit.gettext, find = kit.find, findAll = kit.findAll, el = kit.el, fill = kit.fill,
        format = kit.format, newId = kit.newId, announce = kit.announce, call = kit.call;
    var settings = payload.settings;

    function notify(name, data) {
        if (runtime.notify) { runtime.notify(name, data); }
    }

    /* A labelled field; `input` is the control, built by the caller. */
    function field(label, input, hint) {
        var id = input.id || newId('field');
        input.id = id;
        var hintNode = null;
        if (hint) {
            hintNode = el('p', {className: 'cc-hint', id: id + '-hint', text: hint});
            input.setAttribute('aria-describedby', id + '-hint');
        }
        if (input.type === 'checkbox') {
            return el('div', {className: 'cc-check'}, [input, el('label', {'for': id, text: label}), hintNode]);
        }
        return el('div', {className: 'cc-field'}, [el('label', {'for': id, className: 'cc-label', text: label}), input, hintNode]);
    }
    function textInput(name, value, attrs) {
        return el('input', Object.assign({type: 'text', name: name, value: value === null || value === undefined ? '' : value}, attrs || {}));
    }
    function numberInput(name, value, min, max, step) {
        return el('input', {type: 'number', name: name, value: value, min: min, max: max, step: step || 1, required: true});
    }
    function select(name, value, options) {
        return el('select', {name: name}, options.map(function(option) {
            return el('option', {value: option[0], selected: option[0] === value, text: option[1]});
        }));
    }

    // --- theme cue words: per language, one line per theme ("money: rent, debt, ~pay") ------------
    var CUE_HELP = gettext('One line per theme: the theme, a colon, then words or phrases separated by commas. ' +
        'A learner whose story uses them is offered the theme as a suggestion. A word that starts with ~ ' +
        'counts only together with another.');
    function cueBox(language) {
        var cues = settings.theme_cues || {};
        var lines = settings.themes.filter(function(theme) { return cues[theme] && cues[theme][language]; })
            .map(function(theme) { return theme + ': ' + cues[theme][language].join(', '); });
        return el('textarea', {name: 'cues_' + language, rows: 6}, [document.createTextNode(lines.join('\n'))]);
    }
    /* The cue words of every language box, for the themes in the list; a line for another theme is
     * sent as it is, so that the server says which theme is not in the list. */
    function collectCues(form, themes) {
        var cues = {};
        ['en', 'es'].forEach(function(language) {
            find('[name="cues_' + language + '"]', form).value.split('\n').forEach(function(line) {
                var colon = line.indexOf(':');
                if (colon < 0 || !line.trim()) { return; }
                var theme = line.slice(0, colon).trim().toLowerCase().replace(/\s+/g, ' ');
                var words = line.slice(colon + 1).split(',').map(function(w) { return w.trim(); }).filter(Boolean);
                if (!theme || !words.length) { return; }
                cues[theme] = cues[theme] || {};
                cues[theme][language] = words;
            });
        });
        // Cue words of a theme taken off the list go with it.
        Object.keys(cues).forEach(function(theme) {
            var listed = themes.map(function(t) { return t.toLowerCase(); });
            if (listed.indexOf(theme) === -1 && (settings.themes || []).indexOf(theme) !== -1) { delete cues[theme]; }
        });
        return cues;
    }

    // --- unit settings -------------------------------------------------------------------
    function renderFields() {
        var source = select('group_source', settings.group_source, [
            ['cohort', gettext('Cohorts')], ['team', gettext('Teams')], ['pool', gettext("The unit's own pool")]]);
        // The course's teamsets where the platform offers them; a typed id otherwise.
        var teamsetInput = (payload.teamsets || []).length
            ? select('teamset_id', settings.teamset_id, [['', gettext('Choose a teamset')]].concat(
                payload.teamsets.map(function(t) { return [t.id, t.name]; })))
            : textInput('teamset_id', settings.teamset_id);
        var teamset = field(gettext('Teamset'), teamsetInput,
            gettext('With groups from teams: the teamset whose teams are the groups.'));
        var regroup = field(gettext('Days a group below three waits for newcomers'),
            numberInput('regroup_days', settings.regroup_days, 0, 90),
            gettext('Then a group of one or two learners is merged into another group of its cohort that has room, ' +
                'their work kept. 0: never. Facilitators can turn this off for the unit.'));
        var peersBox = el('input', {type: 'checkbox', name: 'peers_after_own_story', checked: !!settings.peers_after_own_story});
        fill(find('[data-role="fields"]'), [
            field(gettext('Display name'), textInput('display_name', settings.display_name, {required: true, maxlength: 255})),
            field(gettext('Groups form in'), source),
            teamset,
            field(gettext('Group size'), numberInput('group_size', settings.group_size, 3, 8),
                gettext('From 3 to 8 learners per small group.')),
            field(gettext('Required reflections'), numberInput('required_reflections', settings.required_reflections, 1, 7),
                gettext("How many peers' stories each learner witnesses (every story when fewer are shared).")),
            regroup,
            field(gettext("See peers' stories only after sharing my own"), peersBox),
            field(gettext('What peers see of each other'), select('anonymity', settings.anonymity,
                [['names', gettext('Names')], ['pseudonyms', gettext('Pseudonyms (facilitators still see names)')]])),
            field(gettext('Longest text (characters)'), numberInput('max_text_length', settings.max_text_length, 100, 100000)),
            field(gettext('Days before a learner counts as stalled'), numberInput('stall_days', settings.stall_days, 1, 365)),
            field(gettext('Problem weight'), numberInput('weight', settings.weight, 0, 1000, 'any')),
            field(gettext('Themes learners can tag (one per line)'),
                el('textarea', {name: 'themes', rows: 5}, [document.createTextNode(settings.themes.join('\n'))])),
            field(gettext('Cue words in English'), cueBox('en'), CUE_HELP),
            field(gettext('Cue words in Spanish'), cueBox('es'), CUE_HELP)
        ]);
        // Teams are the platform's to form: the block never merges them.
        function showTeamset() { teamset.hidden = source.value !== 'team'; regroup.hidden = !teamset.hidden; }
        source.addEventListener('change', showTeamset);
        showTeamset();
    }

    // --- template and evidence -----------------------------------------------------------
    function templateById(id) { return payload.templates.filter(function(t) { return t.id === id; })[0]; }

    function renderTemplate() {
        var options = payload.templates.map(function(t) { return [t.id, t.title]; });
        options.push(['custom', gettext('Custom')]);
        var chooser = select('template', settings.template, options);
        var evidence = el('div', {className: 'cc-evidence'});
        function showEvidence() {
            var template = templateById(chooser.value);
            fill(evidence, template ? [
                el('p', {text: template.aim}),
                el('h4', {text: gettext('Research basis')}),
                el('ul', {className: 'cc-citations'}, template.citations.map(function(c) { return el('li', {text: c.text}); }))
            ] : [el('p', {text: gettext('A custom exercise: the stages are yours.')})]);
        }
        var apply = el('button', {type: 'button', className: 'cc-button cc-button--quiet', text: gettext("Use this template's stages")});
        apply.addEventListener('click', function() {
            var template = templateById(chooser.value);
            if (!template) { return; }
            if (!window.confirm(gettext("Replace the stages below with this template's stages?"))) { return; }
            renderStages(JSON.parse(JSON.stringify(template.stages)));
            announce(gettext('The stages now follow the template. You can change anything before saving.'));
        });
        chooser.addEventListener('change', showEvidence);
        fill(find('[data-role="template"]'), [field(gettext('Template'), chooser), evidence, apply]);
        showEvidence();
    }

    // --- stages --------------------------------------------------------------------------
    function promptsText(prompts) {
        return (prompts || []).map(function(p) { return p.id + ' | ' + p.text; }).join('\n');
    }
    function localDate(iso) {
        if (!iso) { return ''; }
        var date = new Date(iso);
        var pad = function(n) { return String(n).padStart(2, '0'); };
        return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + 'T' +
            pad(date.getHours()) + ':' + pad(date.getMinutes());
    }

    function stageItem(stage) {
        // A template's title is stored in English and shown in the reader's language (as learners read it).
        var legendText = (payload.shown_titles || {})[stage.title] || stage.title || stage.id || gettext('New stage');
        var item = el('li', {className: 'cc-stage-edit'});
        var kinds = payload.kinds.map(function(kind) { return [kind.id, kind.label]; });
        var fieldset = el('fieldset', {}, [
            el('legend', {text: legendText}),
            field(gettext('Stage id'), textInput('id', stage.id, {required: true, maxlength: 64, pattern: '[A-Za-z0-9_-]+'}),
                gettext('Letters, digits, - and _. Learners\' work is kept under this id.')),
            field(gettext('Kind'), select('kind', stage.kind, kinds)),
            field(gettext('Title'), textInput('title', stage.title, {maxlength: 255})),
            field(gettext('Instructions'), el('textarea', {name: 'instructions', rows: 3},
                [document.createTextNode(stage.instructions || '')])),
            field(gettext('Notes for facilitators'), el('textarea', {name: 'facilitator_notes', rows: 3, maxlength: 4000},
                [document.createTextNode(stage.facilitator_notes || '')]),
                gettext('What to say and what to watch for. Facilitators read them on the dashboard and in the ' +
                    'live session; learners never do.')),
            field(gettext('Prompts (one per line: id | text)'), el('textarea', {name: 'prompts', rows: 3},
                [document.createTextNode(promptsText(stage.prompts))]),
                gettext('Keep a prompt\'s id when you reword it: earlier answers stay with it.')),
            field(gettext('Minimum words (0: none)'), numberInput('min_words', stage.min_words || 0, 0, 100000)),
            field(gettext('Maximum words (0: none)'), numberInput('max_words', stage.max_words || 0, 0, 100000)),
            field(gettext('Opens'), el('input', {type: 'datetime-local', name: 'opens', value: localDate(stage.opens)})),
            field(gettext('Closes'), el('input', {type: 'datetime-local', name: 'closes', value: localDate(stage.closes)})),
            field(gettext('Pacing'), select('pacing', stage.pacing || 'self',
                [['self', gettext('Self-paced')], ['facilitator', gettext('Opened by the facilitator')]])),
            field(gettext('Graded'), el('input', {type: 'checkbox', name: 'graded',
                checked: stage.graded === undefined ? stage.kind !== 'contract' : !!stage.graded})),
            field(gettext('Weight'), numberInput('weight', stage.weight === undefined ? 1 : stage.weight, 0, 1000, 'any'))
        ]);
        var up = el('button', {type: 'button', className: 'cc-button cc-button--quiet', text: gettext('Move up')});
        var down = el('button', {type: 'button', className: 'cc-button cc-button--quiet', text: gettext('Move down')});
        var remove = el('button', {type: 'button', className: 'cc-button cc-button--quiet', text: gettext('Remove')});
        up.addEventListener('click', function() {
            if (item.previousElementSibling) {
                item.parentNode.insertBefore(item, item.previousElementSibling);
                up.focus();
                announce(gettext('Stage moved up.'));
            }
        });
        down.addEventListener('click', function() {
            if (item.nextElementSibling) {
                item.parentNode.insertBefore(item.nextElementSibling, item);
                down.focus();
                announce(gettext('Stage moved down.'));
            }
        });
        remove.addEventListener('click', function() {
            var next = item.nextElementSibling || item.previousElementSibling;
            item.parentNode.removeChild(item);
            announce(gettext('Stage removed. Learners\' work on it is kept, hidden from them.'));
            if (next) { find('input', next).focus(); } else { find('[data-role="add-stage"]').focus(); }
        });
        item.appendChild(fieldset);
        item.appendChild(el('div', {className: 'cc-actions'}, [up, down, remove]));
        return item;
    }

    function renderStages(stages) {
        fill(find('[data-role="stages"]'), stages.map(stageItem));
    }

    find('[data-role="add-stage"]').addEventListener('click', function() {
        var item = stageItem({id: '', kind: 'narrative', title: '', prompts: []});
        find('[data-role="stages"]').appendChild(item);
        find('input', item).focus();
        announce(gettext('A new stage is added at the end.'));
    });

    // --- saving --------------------------------------------------------------------------
    function collectStages() {
        return findAll('[data-role="stages"] > li').map(function(item) {
            function value(name) { return find('[name="' + name + '"]', item).value; }
            function isoOrNull(name) { var v = value(name); return v ? new Date(v).toISOString() : null; }
            return {
                id: value('id').trim(),
                kind: value('kind'),
                title: value('title'),
                instructions: value('instructions'),
                facilitator_notes: value('facilitator_notes'),
                prompts: value('prompts').split('\n').filter(function(line) { return line.trim(); }).map(function(line) {
                    var parts = line.split('|');
                    var id = parts.length > 1 ? parts.shift().trim() : '';
                    return {id: id, text: parts.join('|').trim()};
                }),
                min_words: Number(value('min_words')),
                max_words: Number(value('max_words')),
                opens: isoOrNull('opens'),
                closes: isoOrNull('closes'),
                pacing: value('pacing'),
                graded: find('[name="graded"]', item).checked,
                weight: Number(value('weight'))
            };
        });
    }

    function collect() {
        var form = find('[data-role="fields"]');
        function value(name) { return find('[name="' + name + '"]', form).value; }
        var themes = value('themes').split('\n').map(function(t) { return t.trim(); }).filter(Boolean);
        return {
            display_name: value('display_name'),
            template: find('[name="template"]').value,
            group_source: value('group_source'),
            teamset_id: value('teamset_id'),
            group_size: Number(value('group_size')),
            required_reflections: Number(value('required_reflections')),
            peers_after_own_story: find('[name="peers_after_own_story"]', form).checked,
            anonymity: value('anonymity'),
            max_text_length: Number(value('max_text_length')),
            regroup_days: Number(value('regroup_days')),
            stall_days: Number(value('stall_days')),
            weight: Number(value('weight')),
            themes: themes,
            theme_cues: collectCues(form, themes),
            stages: collectStages()
        };
    }

    function showErrors(errors) {
        var box = find('[data-role="errors"]');
        fill(box, errors.length ? [el('p', {text: gettext('Nothing was saved:')}),
            el('ul', {}, errors.map(function(error) { return el('li', {text: error}); }))] : []);
        box.hidden = !errors.length;
        if (errors.length) { box.setAttribute('tabindex', '-1'); box.focus(); }
    }

    find('[data-role="editor"]').addEventListener('submit', function(event) {
        event.preventDefault();
        notify('save', {state: 'start'});
        call('save_settings', collect()).then(function(result) {
            settings = result.settings;
            showErrors([]);
            announce(gettext('Saved.'));
            notify('save', {state: 'end'});
        }).catch(function(error) {
            var errors = (error.data && error.data.errors) || [error.message];
            showErrors(errors);
            notify('error', {title: gettext('Unable to save'), message: error.message});
        });
    });

    find('[data-role="cancel"]').addEventListener('click', function() { notify('cancel', {}); });

    renderFields();
    renderTemplate();
    renderStages(settings.stages);
}
