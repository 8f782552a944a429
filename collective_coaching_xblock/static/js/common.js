/* Helpers shared by the block's scripts (learner view, facilitator dashboard, Studio editor).
 *
 * `CollectiveCoachingKit(runtime, element, root, payload)` returns small functions bound to one
 * block on the page: DOM building with text nodes only (learner text never becomes HTML),
 * translation from the page's own catalog, an aria-live announcer, and JSON calls to the
 * block's handlers with the CSRF header.
 */
function CollectiveCoachingKit(runtime, element, root, payload) {
    'use strict';

    var uid = root.getAttribute('data-uid');
    var counter = 0;
    // The block's own catalog for the active language first, then the platform's, else English.
    var catalog = (payload && payload.i18n) || {};
    // Dates in the page's language (the learner's preference), not the browser's.
    var language = (payload && payload.language) || document.documentElement.lang || undefined;

    function gettext(text) {
        if (catalog[text]) { return catalog[text]; }
        return typeof window.gettext === 'function' ? window.gettext(text) : text;
    }
    function find(selector, scope) { return (scope || root).querySelector(selector); }
    function findAll(selector, scope) {
        return Array.prototype.slice.call((scope || root).querySelectorAll(selector));
    }
    /* An element with attributes (`text` sets its text, `className` its class) and children. */
    function el(tag, attrs, children) {
        var node = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function(key) {
            if (key === 'text') { node.textContent = attrs.text; }
            else if (key === 'className') { node.className = attrs.className; }
            else if (attrs[key] === true) { node.setAttribute(key, ''); }
            else if (attrs[key] !== false && attrs[key] !== null && attrs[key] !== undefined) {
                node.setAttribute(key, attrs[key]);
            }
        });
        (children || []).forEach(function(child) { if (child) { node.appendChild(child); } });
        return node;
    }
    function fill(parent, children) {
        while (parent.firstChild) { parent.removeChild(parent.firstChild); }
        children.forEach(function(child) { if (child) { parent.appendChild(child); } });
    }
    function format(template, values) {
        return template.replace(/\{(\w+)\}/g, function(match, key) {
            return values.hasOwnProperty(key) ? values[key] : match;
        });
    }
    /* A date and time in the page's language, to the minute (seconds are noise to a reader). */
    var WHEN = {year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit'};
    function when(iso) {
        try { return new Date(iso).toLocaleString(language, WHEN); } catch (error) { return new Date(iso).toLocaleString(); }
    }
    /* A number in the page's language (3,4 in Spanish, 3.4 in English). */
    function number(value) {
        try { return Number(value).toLocaleString(language); } catch (error) { return String(value); }
    }
    function newId(name) { counter += 1; return uid + '-' + name + '-' + counter; }
    function announce(message) {
        var live = find('[data-role="live"]');
        live.textContent = '';  // so that the same message twice is announced twice
        window.setTimeout(function() { live.textContent = message; }, 50);
    }
    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }
    /* POST JSON to a handler; rejects with the handler's error (with `status` and `data`). */
    function call(handler, body) {
        return fetch(runtime.handlerUrl(element, handler), {
            method: 'POST',
            credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrfToken()},
            body: JSON.stringify(body || {})
        }).then(function(response) {
            return response.json().catch(function() { return {}; }).then(function(data) {
                if (!response.ok) {
                    var error = new Error(data.error || gettext('Something went wrong. Please try again.'));
                    error.status = response.status;
                    error.data = data;
                    throw error;
                }
                return data;
            });
        });
    }

    return {
        gettext: gettext, find: find, findAll: findAll, el: el, fill: fill, format: format,
        newId: newId, announce: announce, call: call, when: when, number: number
    };
}
