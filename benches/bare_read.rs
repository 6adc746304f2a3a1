//! The floor for `benches/scale.sh`: read the population CSV with the csv crate and sum one
//! column, nothing else. Build with `cargo build --release --example bare_read`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: bare_read POPULATION.csv")?;
    let mut reader = csv::Reader::from_path(path)?;
    let mut record = csv::ByteRecord::new();
    let mut sum: u64 = 0;
    while reader.read_byte_record(&mut record)? {
        sum += std::str::from_utf8(&record[3])?.parse::<u64>()?;
    }
    println!("{sum}");
    Ok(())
}
