"""Test connection through the real SDKs against the local test servers: models and time, or why not."""

import socket

from playground.llm.probe import probe


def test_an_openai_server_lists_its_models_with_the_round_trip_time(openai_server):
    result = probe(openai_server.base_url, None, openai_server.api_key)
    assert result.ok and result.api == "openai"
    assert result.models == ("gpt-4o", "gpt-4o-mini", "test-model")
    assert 0 < result.rtt_s < 5
    assert "3 models" in result.summary() and "gpt-4o-mini" in result.summary()
    assert [r.path for r in openai_server.received] == ["/v1/models"]


def test_an_anthropic_server_is_detected_by_the_shape_of_its_answer(anthropic_server):
    result = probe(anthropic_server.base_url, None, anthropic_server.api_key)
    assert result.ok and result.api == "anthropic"
    assert result.models == ("claude-haiku-4-5", "claude-sonnet-4-6")
    assert "Anthropic server" in result.summary()


def test_the_wrong_style_chosen_by_hand_is_said_plainly(anthropic_server):
    result = probe(anthropic_server.base_url, "openai", anthropic_server.api_key)
    assert not result.ok and "not an OpenAI-compatible server" in result.error


def test_a_wrong_key_is_refused(openai_server, anthropic_server):
    for server in (openai_server, anthropic_server):
        result = probe(server.base_url, None, "sk-wrong-key-000000000000")
        assert not result.ok and result.error.startswith("The server refused the key")
        assert "sk-wrong" not in result.error


def test_a_closed_port_says_no_server_there():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}/v1"
    result = probe(url, None, None)
    assert not result.ok and result.error.startswith(f"No server at {url}")


def test_a_server_that_never_answers_times_out():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()  # accepts the connection in the backlog, never answers
        url = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
        result = probe(url, "openai", None, timeout_s=0.5)
    assert not result.ok and "did not answer within 0.5 s" in result.error


def test_a_server_that_drips_its_answer_ends_at_the_timeout():
    """The SDK's timeout is per read: a server sending a byte a second would never end without a deadline."""
    import threading
    import time

    stop = threading.Event()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()

        def drip() -> None:
            conn, _ = s.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9999\r\n\r\n"
                )
                while not stop.wait(0.2):
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        return

        threading.Thread(target=drip, daemon=True).start()
        started = time.monotonic()
        result = probe(f"http://127.0.0.1:{s.getsockname()[1]}/v1", "openai", None, timeout_s=1.0)
        took = time.monotonic() - started
        stop.set()
    assert not result.ok and "did not answer within 1 s" in result.error
    assert took < 3.0


def test_credentials_in_the_base_url_are_in_no_message():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = probe(f"http://me:sk-PASSWORD-123@127.0.0.1:{port}/v1?key=sk-QUERY-456", None, None)
    assert not result.ok and result.error.startswith(f"No server at http://127.0.0.1:{port}/v1")
    assert "sk-PASSWORD" not in result.summary() and "sk-QUERY" not in result.summary()
