//! A bounded HTTP/1.1 GET (hyper's client connection over one TCP stream): the AM's tracking
//! JSON while following an application, and container logs from a NodeManager's web API.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Limited};
use hyper::Request;
use hyper_util::rt::TokioIo;

/// Fetches `url` (`http://host:port/path`) and returns its body as text when the status is
/// 200. At most `limit` bytes are read and the whole exchange takes at most `timeout`.
pub async fn get_text(url: &str, limit: usize, timeout: Duration) -> Result<String, String> {
    tokio::time::timeout(timeout, get(url, limit))
        .await
        .map_err(|_| format!("GET {url}: no answer within {timeout:?}"))?
}

async fn get(url: &str, limit: usize) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let stream = tokio::net::TcpStream::connect(authority)
        .await
        .map_err(|e| format!("GET {url}: cannot connect: {e}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let driver = tokio::spawn(connection);
    let request = Request::get(path)
        .header(hyper::header::HOST, authority)
        .body(Empty::<Bytes>::new())
        .map_err(|e| format!("GET {url}: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let status = response.status();
    let body = Limited::new(response.into_body(), limit)
        .collect()
        .await
        .map_err(|e| format!("GET {url}: the body could not be read (over {limit} bytes?): {e}"))?
        .to_bytes();
    driver.abort();
    if !status.is_success() {
        return Err(format!("GET {url}: HTTP {status}"));
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bad_urls_and_dead_servers_are_errors() {
        assert!(
            get_text("https://x/", 10, Duration::from_secs(1))
                .await
                .is_err()
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let e = get_text(&format!("http://{addr}/x"), 10, Duration::from_secs(5))
            .await
            .unwrap_err();
        assert!(e.contains("cannot connect"), "{e}");
    }
}
