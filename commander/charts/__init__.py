"""Charts as matplotlib ``Figure`` objects built from domain data; no Qt, never pyplot.

``data`` holds the plain inputs (importable without matplotlib); each other module draws one
kind of chart. The UI embeds the figures with ``FigureCanvasQTAgg`` and imports this package
only when a chart is first shown: matplotlib costs 0.6 s, too much for start-up.
"""
