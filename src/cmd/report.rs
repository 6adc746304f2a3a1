//! placeholder
pub fn run(_: &crate::job::ReportJob) -> anyhow::Result<std::process::ExitCode> {
    todo!()
}
