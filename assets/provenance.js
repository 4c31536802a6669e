// The provenance panel (timeline/app/provenance.py): marked passages work from the keyboard,
// and the current passage is scrolled into view inside the panel's own box, not the page.
(function () {
    "use strict";

    // Enter or Space on a focused mark clicks it, as on a button (one listener for every mark).
    document.addEventListener("keydown", function (event) {
        const mark = event.target;
        if (!(mark instanceof Element) || !mark.classList.contains("prov-mark")) {
            return;
        }
        if (event.key === "Enter" || event.key === " ") {
            event.preventDefault(); // Space would scroll the page
            mark.click();
        }
    });

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        provenance: {
            // After a panel is drawn, bring its current mark into the upper third of its box
            // (every box of source text on the page: the provenance panel's and the article review's).
            scrollToCurrent: function () {
                window.requestAnimationFrame(function () {
                    document.querySelectorAll(".prov-text").forEach(function (box) {
                        const mark = box.querySelector(".prov-mark.current, .article-current");
                        if (!mark) {
                            return;
                        }
                        const offset = mark.getBoundingClientRect().top - box.getBoundingClientRect().top;
                        box.scrollTop = Math.max(0, box.scrollTop + offset - box.clientHeight / 3);
                    });
                });
                return window.dash_clientside.no_update;
            },
        },
    });
})();
