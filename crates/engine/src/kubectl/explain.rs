//! `kubectl explain TYPE[.FIELD…]`: the API documentation of the kinds the engine knows.

use crate::kubectl::Output;

/// `kubectl explain RESOURCE[.FIELD…] [--recursive]`.
pub fn explain(_args: &[String]) -> Output {
    Output::err("error: \"kubectl explain\" is not available in this playground yet")
}
