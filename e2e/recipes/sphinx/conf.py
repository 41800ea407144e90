# A Sphinx (or Jupyter Book) course page framing a lab with sphinx-iframes.
project = "A course with a lab"
extensions = ["sphinx_iframes"]
html_theme = "alabaster"
# sphinx-iframes' resizer (on by default) sizes the frame by H5P's protocol, which the lab
# speaks.
iframe_h5p_autoresize = True
