from loket.whatsapp.templatetags.whatsapp_format import whatsapp


def test_it_shows_whatsapp_bold_italic_and_strike():
    assert whatsapp("*Akta* _baru_ ~lama~") == "<strong>Akta</strong> <em>baru</em> <s>lama</s>"


def test_it_escapes_html_and_leaves_links_alone():
    out = whatsapp("<b>x</b> http://127.0.0.1/l/a_b_c/")
    assert "&lt;b&gt;" in out
    assert 'href="http://127.0.0.1/l/a_b_c/"' in out
    assert "<em>" not in out
