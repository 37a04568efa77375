//! A fresh PostgreSQL database per test, on the server `CLAIMLENS_TEST_POSTGRES` names.
//!
//! `CLAIMLENS_TEST_POSTGRES` is the URL of a role that may create databases
//! (`postgres://postgres@127.0.0.1:5432/postgres`); `.ci/run` starts a server on loopback and
//! sets it. Without it, [`database`] prints a skip line (requirement `postgres`) and returns
//! `None`.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::{skip, Requirement};

/// The variable naming the test server.
pub const SERVER_VARIABLE: &str = "CLAIMLENS_TEST_POSTGRES";

/// A database created for one test and dropped when this value is.
pub struct TestDatabase {
    admin_url: String,
    name: String,
    /// The URL of the new database.
    pub url: String,
}

/// A new, empty database, or `None` (after a skip line) when no test server is configured.
pub fn database() -> Option<TestDatabase> {
    let Some(admin_url) = std::env::var(SERVER_VARIABLE)
        .ok()
        .filter(|u| !u.is_empty())
    else {
        skip(
            Requirement::Postgres,
            &format!("{SERVER_VARIABLE} is not set (a PostgreSQL URL of a role that may create databases)"),
        );
        return None;
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "claimlens_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("{SERVER_VARIABLE}={admin_url}: {e}"));
    // A database left by an earlier run of the same process id is dropped first.
    // Two statements: neither may run inside a transaction, which one batch would be.
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }
    let url = with_database(&admin_url, &name);
    Some(TestDatabase {
        admin_url,
        name,
        url,
    })
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + i);
    let query = url[path_start..].find('?').map(|i| &url[path_start + i..]);
    format!("{}/{}{}", &url[..path_start], name, query.unwrap_or(""))
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://u@127.0.0.1:5433/postgres", "t1"),
            "postgres://u@127.0.0.1:5433/t1"
        );
        assert_eq!(
            with_database("postgres://u@h/postgres?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t1"), "postgres://h/t1");
    }
}
