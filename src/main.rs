fn main() {
    hashiya::start();
}
