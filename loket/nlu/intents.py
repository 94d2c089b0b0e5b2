SERVICE_INTENTS = [
    "ktp-rekam", "ktp-cetak", "ktp-ganti", "kk-baru", "kk-ubah", "kia", "pindah", "datang",
    "akta-lahir", "akta-mati", "akta-kawin", "akta-cerai", "akta-anak", "akta-ubah",
    "legalisir", "ikd", "ambil-dokumen",
]
INTENTS = [*SERVICE_INTENTS, "status", "jadwal", "operator", "lainnya"]
