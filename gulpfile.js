const { src, dest, parallel } = require('gulp');

/** Icons (light and dark SVG) keep their place under dist/icons; nodes reference them as file:../../icons/… */
function copyIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

/** Codex files (*.node.json) sit beside the compiled node they describe. */
function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:icons'] = parallel(copyIcons, copyCodex);
