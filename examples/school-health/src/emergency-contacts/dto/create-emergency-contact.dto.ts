import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ContactPriority, ContactRelationship } from '../models/emergency-contact.model';

export class CreateEmergencyContactDto {
  @IsString()
  @Length(1, 80)
  firstName!: string;

  @IsString()
  @Length(1, 80)
  lastName!: string;

  @IsEnum(ContactRelationship)
  relationship!: ContactRelationship;

  @Matches(/^[0-9+().\- ]{7,20}$/, { message: 'phone must be 7 to 20 digits, spaces or +().-' })
  phone!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsEnum(ContactPriority)
  priority!: ContactPriority;

  @IsOptional()
  @IsBoolean()
  canPickUp?: boolean;
}
