from django.core.management.base import BaseCommand

from letters.demo import seed_letters_demo


class Command(BaseCommand):
    help = "สร้างหนังสือรับตัวอย่าง (ต้องสร้างผู้ใช้ตัวอย่างด้วย seed_demo ก่อน)"

    def handle(self, *args: object, **options: object) -> None:
        for line in seed_letters_demo():
            self.stdout.write(f"  {line}")
