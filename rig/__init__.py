"""The browser rig: a real `streamlit run` server and headless Debian Chromium driven by Playwright.

Shared by the browser tests (tests/browser/, whose conftest.py wraps it in pytest fixtures) and the
benchmarks (benchmarks/), so neither imports the other. Plain functions, no pytest.

    server   start_server(), StreamlitServer, health_ok(), app_path(), REPO_ROOT
    browser  launch_browser(), open_session() with its PageLog, warm_up()
    pages    discover_pages(), wait_for_app(), goto_app(), click_button(), main_text(), control_values()
    live     the live panel: read_readout(), wait_for_step_above(), press_play(), set_speed(),
             five_in_two_reference()
    predict  the prediction box: enter_prediction(), lock_prediction(), read_comparison()
    procfs   a server's process tree, memory (MemorySampler, mb_of) and external sockets (Linux /proc)
    ws_client  a learner without a browser: Learner speaks Streamlit's websocket protocol (open, press, read)
"""
