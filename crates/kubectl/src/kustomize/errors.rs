//! Errors as kustomize words them: a cause wrapped in prefixes on its way out of the accumulation.

/// A kustomize error as kustomize words it: a cause wrapped in prefixes (`accumulating resources: …`). Whether
/// it came from malformed YAML or an HTTP failure changes how the caller wraps it, as in kustomize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KError {
    pub(super) message: String,
    pub(super) malformed_yaml: bool,
    pub(super) http: bool,
    /// Raised outside kustomize's accumulation, so no prefixes are added on the way out.
    pub(super) bare: bool,
}

impl KError {
    pub(super) fn new(message: impl Into<String>) -> KError {
        KError {
            message: message.into(),
            malformed_yaml: false,
            http: false,
            bare: false,
        }
    }

    /// Go's `errors.WrapPrefixf`: `prefix: cause`, keeping what kind of error it is.
    pub(super) fn wrap(mut self, prefix: impl AsRef<str>) -> KError {
        if !self.bare {
            self.message = format!("{}: {}", prefix.as_ref(), self.message);
        }
        self
    }
}

impl From<String> for KError {
    fn from(message: String) -> KError {
        KError::new(message)
    }
}

pub(super) type KResult<T> = Result<T, KError>;
